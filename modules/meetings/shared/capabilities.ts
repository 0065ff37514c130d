import { capabilityTable } from "@ensemble/protocol";

/**
 * Meeting roles mapped to capabilities as data (the platform's one capability
 * engine). A person's role in a meeting comes from who they are: its
 * organiser, a moderator the organiser named, a member of the organisation, a
 * guest account, or someone without an account who came by the link. Code
 * asks `meetingCapabilities.can(role, cap, settings)`; it never compares role
 * names (the web reads the capabilities the server presents).
 */
export const meetingRoles = ["organiser", "moderator", "participant", "guest", "anonymous"] as const;
export type MeetingRole = (typeof meetingRoles)[number];

export const MeetingCapability = {
  /** See the meeting's details (title, times, invitees) without having been invited or having knocked. */
  find: "find",
  /** Enter without waiting in the lobby. */
  enterDirectly: "enter_directly",
  /** Enter a locked meeting. */
  enterLocked: "enter_locked",
  /** Enter without the meeting's password. */
  skipPassword: "skip_password",
  /** See who waits; admit, deny, admit all. */
  admit: "admit",
  /** Remove a participant, mute others. */
  moderate: "moderate",
  lock: "lock",
  /** End the meeting for everyone. */
  end: "end",
  /** Title, times, invitees, moderators, password, lobby for everyone; reschedule, cancel. */
  manage: "manage",
} as const;
export type MeetingCapability = (typeof MeetingCapability)[keyof typeof MeetingCapability];

/** A meeting setting that, when on, withdraws nothing but grants: members enter directly unless the lobby is for everyone. */
export type MeetingSetting = "lobbyOnlyForOutsiders";

export const meetingCapabilities = capabilityTable<MeetingRole, MeetingCapability, MeetingSetting>({
  organiser: {
    find: true,
    enter_directly: true,
    enter_locked: true,
    skip_password: true,
    admit: true,
    moderate: true,
    lock: true,
    end: true,
    manage: true,
  },
  moderator: {
    find: true,
    enter_directly: true,
    enter_locked: true,
    skip_password: true,
    admit: true,
    moderate: true,
    lock: true,
    end: true,
  },
  participant: { find: true, enter_directly: "lobbyOnlyForOutsiders" },
  guest: {},
  anonymous: {},
});
