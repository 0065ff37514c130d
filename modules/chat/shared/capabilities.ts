/**
 * Chat permissions as data. Code asks `canInRoom(roomRole, capability, room)`
 * or `canInOrg(orgRole, capability)`; it never compares role names.
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

type Grant = true | RoomCapabilitySetting;

export const roomCapabilities: Record<RoomRole, Partial<Record<RoomCapability, Grant>>> = {
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
};

export function canInRoom(
  role: RoomRole | null,
  capability: RoomCapability,
  settings: Partial<Record<RoomCapabilitySetting, boolean>> = {},
): boolean {
  if (role === null) return false;
  const grant = roomCapabilities[role][capability];
  if (grant === undefined) return false;
  if (grant === true) return true;
  return settings[grant] === true;
}

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

export const orgChatCapabilities: Record<OrgRole, readonly OrgChatCapability[]> = {
  admin: [
    "chat.channels.create",
    "chat.private.create",
    "chat.direct.open",
    "chat.public.browse",
    "chat.public.join",
    "chat.rooms.invite",
    "chat.channels.supervise",
    "chat.settings.manage",
  ],
  member: [
    "chat.channels.create",
    "chat.private.create",
    "chat.direct.open",
    "chat.public.browse",
    "chat.public.join",
    "chat.rooms.invite",
  ],
  guest: ["chat.direct.open"],
};

export const canInOrg = (role: OrgRole, capability: OrgChatCapability): boolean =>
  orgChatCapabilities[role].includes(capability);
