import { capabilityTable } from "@ensemble/protocol";

/**
 * Chat permissions as data, in the platform's one capability engine
 * (`capabilityTable` from the protocol). Code asks
 * `canInRoom(roomRole, capability, room)` or `canInOrg(orgRole, capability)`;
 * it never compares role names.
 */
export const roomRoles = ["owner", "moderator", "member"] as const;
export type RoomRole = (typeof roomRoles)[number];

export const RoomCapability = {
  post: "post",
  /** Posting in an announcement channel. */
  postAnnouncement: "post_announcement",
  react: "react",
  pin: "pin",
  invite: "invite",
  removeMember: "remove_member",
  /** Rename, topic, description, roles, room settings. */
  manage: "manage",
  archive: "archive",
  /** Delete (and unpin) other people's messages at any time. */
  moderate: "moderate",
  /** `@channel` / `@all` / `@here`. */
  mentionAll: "mention_all",
} as const;
export type RoomCapability = (typeof RoomCapability)[keyof typeof RoomCapability];

/** A room setting that, when on, grants a capability the role does not hold outright. */
export type RoomCapabilitySetting = "membersCanMentionAll" | "membersCanInvite";

export const roomCapabilityTable = capabilityTable<RoomRole, RoomCapability, RoomCapabilitySetting>({
  owner: {
    post: true,
    post_announcement: true,
    react: true,
    pin: true,
    invite: true,
    remove_member: true,
    manage: true,
    archive: true,
    moderate: true,
    mention_all: true,
  },
  moderator: {
    post: true,
    post_announcement: true,
    react: true,
    pin: true,
    invite: true,
    remove_member: true,
    moderate: true,
    mention_all: true,
  },
  member: {
    post: true,
    react: true,
    pin: true,
    invite: "membersCanInvite",
    mention_all: "membersCanMentionAll",
  },
});

export const roomCapabilities = roomCapabilityTable.grants;

export const canInRoom = (
  role: RoomRole | null,
  capability: RoomCapability,
  settings: Partial<Record<RoomCapabilitySetting, boolean>> = {},
): boolean => roomCapabilityTable.can(role, capability, settings);

/** What an organisation role (kernel `Role`) may do in chat outside any room membership. */
export const OrgChatCapability = {
  createChannel: "chat.channels.create",
  createPrivate: "chat.private.create",
  openDirect: "chat.direct.open",
  /** Read a public channel without joining it, and see it in the directory. */
  browsePublic: "chat.public.browse",
  joinPublic: "chat.public.join",
  /** Bring people into rooms (with the room role's invite capability); guests never do. */
  inviteToRooms: "chat.rooms.invite",
  /** Manage, archive and moderate any public channel (organisation administrators). */
  superviseChannels: "chat.channels.supervise",
  administer: "chat.settings.manage",
} as const;
export type OrgChatCapability = (typeof OrgChatCapability)[keyof typeof OrgChatCapability];

export type OrgRole = "admin" | "member" | "guest";

export const orgChatCapabilityTable = capabilityTable<OrgRole, OrgChatCapability>({
  admin: {
    "chat.channels.create": true,
    "chat.private.create": true,
    "chat.direct.open": true,
    "chat.public.browse": true,
    "chat.public.join": true,
    "chat.rooms.invite": true,
    "chat.channels.supervise": true,
    "chat.settings.manage": true,
  },
  member: {
    "chat.channels.create": true,
    "chat.private.create": true,
    "chat.direct.open": true,
    "chat.public.browse": true,
    "chat.public.join": true,
    "chat.rooms.invite": true,
  },
  guest: { "chat.direct.open": true },
});

export const canInOrg = (role: OrgRole, capability: OrgChatCapability): boolean =>
  orgChatCapabilityTable.can(role, capability);
