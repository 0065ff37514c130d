import type { Kernel } from "@ensemble/kernel";
import { MeetingCapability, meetingCapabilities, type MeetingCapability as Cap } from "../shared/capabilities.ts";
import { MeetingResource, type MeetingRecord } from "./resources.ts";

const has = (r: MeetingRecord, cap: Cap) =>
  meetingCapabilities.can(r.viewerRole, cap, { lobbyOnlyForOutsiders: r.lobby_for_everyone === 0 });
const live = (r: MeetingRecord) => r.ended_at === null && r.cancelled_at === null;

/**
 * Who may do what in a meeting. Reading its details: people who may find
 * meetings (the organisation's members), invitees, and whoever knocked.
 * Taking part (participant list, chat, notes, media, the meeting's events) is
 * for admitted people only, whatever their role: the lobby is a state, not a
 * role. Moderation comes from the role table.
 */
export function meetingPolicies(k: Kernel): void {
  const p = k.policy;
  p.allow(MeetingResource, "read", (_a, r) => has(r, MeetingCapability.find) || r.viewerInvited || !!r.viewerAttendee);
  p.allow(MeetingResource, "participate", (_a, r) => live(r) && r.viewerAttendee?.state === "admitted");
  p.allow(MeetingResource, "admit", (_a, r) => live(r) && has(r, MeetingCapability.admit));
  p.allow(MeetingResource, "moderate", (_a, r) => live(r) && has(r, MeetingCapability.moderate));
  p.allow(MeetingResource, "lock", (_a, r) => live(r) && has(r, MeetingCapability.lock));
  p.allow(MeetingResource, "end", (_a, r) => live(r) && has(r, MeetingCapability.end));
  p.allow(MeetingResource, "manage", (_a, r) => live(r) && has(r, MeetingCapability.manage));
}
