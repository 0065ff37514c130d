import { resourceKind } from "@ensemble/kernel";
import type { MeetingRole } from "../shared/capabilities.ts";
import type { MeetingAttendeesTable, MeetingInviteesTable, MeetingsTable } from "./tables.ts";

/**
 * A meeting as the policy sees it: the row, its invitees, and the viewer —
 * their role here (from who they are) and their latest knock (null: never
 * knocked). The viewer is a signed-in person or a visitor; the rules decide
 * on the record alone, so both are judged alike.
 */
export type MeetingRecord = MeetingsTable & {
  invitees: MeetingInviteesTable[];
  viewerRole: MeetingRole;
  viewerInvited: boolean;
  viewerAttendee: MeetingAttendeesTable | null;
};

export const meetingActions = ["read", "participate", "admit", "moderate", "lock", "end", "manage"] as const;
export type MeetingAction = (typeof meetingActions)[number];

export const MeetingResource = resourceKind<MeetingRecord>()("meetings.meeting", meetingActions);
