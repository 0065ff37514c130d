import type { Kysely } from "kysely";
import type { Kernel, KernelTables } from "@ensemble/kernel";
import type { MeetingRole } from "../shared/capabilities.ts";
import type { AttendeeState, MeetingKind } from "../shared/schemas.ts";

/** Meetings tables (kernel conventions: text ids and ISO times, 0/1 booleans). */
export interface MeetingsTable {
  id: string;
  code: string;
  kind: MeetingKind;
  title: string;
  description: string;
  starts_at: string | null;
  duration_minutes: number | null;
  organiser_id: string;
  /** `scrypt$<salt>$<hash>`, or null without a password. */
  password_hash: string | null;
  locked: number;
  lobby_for_everyone: number;
  /** iCalendar SEQUENCE: raised by every change invitees are sent. */
  sequence: number;
  ended_at: string | null;
  cancelled_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface MeetingInviteesTable {
  meeting_id: string;
  user_id: string;
  moderator: number;
}

/** One knock at a meeting and what became of it (waiting → admitted / denied → left / removed / ended). */
export interface MeetingAttendeesTable {
  id: string;
  meeting_id: string;
  /** The account, or null for a visitor (then `visitor_id` is their pass's id). */
  user_id: string | null;
  visitor_id: string | null;
  name: string;
  role: MeetingRole;
  state: AttendeeState;
  knocked_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

export type MeetingsTables = {
  meetings_meetings: MeetingsTable;
  meetings_invitees: MeetingInviteesTable;
  meetings_attendees: MeetingAttendeesTable;
};

export type MeetingsDb = Kysely<KernelTables & MeetingsTables>;

export const meetingsDb = (k: Kernel): MeetingsDb => k.db.withTables<MeetingsTables>();
