import { z } from "zod";
import { roomRoles } from "./capabilities.ts";
import { chatRoomActions } from "./resources.ts";
import { slugFromName } from "./slug.ts";

export const roomTypes = ["channel", "private", "dm"] as const;
export type RoomType = (typeof roomTypes)[number];
export const messageKinds = ["user", "system", "bot", "webhook"] as const;
export type MessageKind = (typeof messageKinds)[number];

export const MAX_DM_MEMBERS = 8;
export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "lower-case letters, digits, - and _");

// ---------- presented objects (what the API answers) ----------

export const roomRoleSchema = z.enum(roomRoles);

export const roomSchema = z.object({
  id: z.uuid(),
  type: z.enum(roomTypes),
  /** Unique among channels and private groups; null for DMs. */
  slug: z.string().nullable(),
  name: z.string(),
  topic: z.string(),
  description: z.string(),
  announcement: z.boolean(),
  isDefault: z.boolean(),
  archivedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  lastMessageAt: z.string().nullable(),
  memberCount: z.number().int(),
  settings: z.object({ membersCanMentionAll: z.boolean(), membersCanInvite: z.boolean() }),
  /** The room's picture (versioned URL), null when it has none (DMs never do). */
  avatarUrl: z.string().nullable(),
  /** The viewer's membership, null when not a member. */
  membership: z
    .object({
      role: roomRoleSchema,
      favourite: z.boolean(),
      muted: z.boolean(),
      hidden: z.boolean(),
      lastReadSeq: z.number().int(),
      unread: z.number().int(),
      mentions: z.number().int(),
    })
    .nullable(),
  /** For DMs: the other participants (id, username, display name). */
  participants: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string() })).optional(),
  /** What the viewer may do in the room, decided by the server's policy (the web offers exactly these). */
  actions: z.array(z.enum(chatRoomActions)),
  /**
   * The viewer is the room's last owner and others remain: leaving names a successor (`newOwnerId`), so the
   * web asks for one straight away (the leave route still refuses with 409 a room that changed meanwhile).
   */
  mustNameSuccessor: z.boolean().optional(),
});
export type Room = z.infer<typeof roomSchema>;

export const memberActions = ["mute", "remove"] as const;
export type MemberAction = (typeof memberActions)[number];

export const memberSchema = z.object({
  user: z.object({ id: z.string(), username: z.string(), displayName: z.string(), role: z.string() }),
  role: roomRoleSchema,
  joinedAt: z.string(),
  /** What the viewer may do to this member, decided by the server's policy (never by comparing roles). */
  actions: z.array(z.enum(memberActions)),
});
export type RoomMember = z.infer<typeof memberSchema>;

/**
 * Slack-like attachment: integrations fill it; file refs point at stored files.
 * Fields it does not name are dropped, on the way in and on the way out.
 */
export const attachmentSchema = z.object({
  fallback: z.string().max(4000).optional(),
  color: z.string().max(32).optional(),
  pretext: z.string().max(4000).optional(),
  author_name: z.string().max(200).optional(),
  author_link: z.string().max(2000).optional(),
  author_icon: z.string().max(2000).optional(),
  title: z.string().max(1000).optional(),
  title_link: z.string().max(2000).optional(),
  text: z.string().max(8000).optional(),
  fields: z
    .array(z.object({ title: z.string().max(500), value: z.string().max(4000), short: z.boolean().optional() }))
    .max(50)
    .optional(),
  image_url: z.string().max(2000).optional(),
  thumb_url: z.string().max(2000).optional(),
  footer: z.string().max(500).optional(),
  footer_icon: z.string().max(2000).optional(),
  ts: z.union([z.number(), z.string()]).optional(),
  /** A file stored by the files service: id, name, size, MIME type. */
  file: z.object({ id: z.string(), name: z.string(), size: z.number(), mimeType: z.string() }).optional(),
  /** A call started in the room (`POST …/call`): the meeting's code and page, shown as a join button. */
  call: z.object({ code: z.string().max(32), path: z.string().max(200) }).optional(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const previewSchema = z.object({
  url: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  image: z.string().optional(),
  siteName: z.string().optional(),
});
export type LinkPreview = z.infer<typeof previewSchema>;

export const reactionSummarySchema = z.object({
  emoji: z.string(),
  count: z.number().int(),
  mine: z.boolean(),
  userIds: z.array(z.string()),
});

export const authorSchema = z.object({ id: z.string(), username: z.string(), displayName: z.string() });
export type AuthorInfo = z.infer<typeof authorSchema>;

/** A forwarded message as it was when forwarded: readers of the target room may not see the source room. */
export const forwardedSnapshotSchema = z.object({
  messageId: z.string(),
  roomId: z.string(),
  text: z.string(),
  createdAt: z.string(),
  author: authorSchema.nullable(),
});

/** What an integration or a forward adds to a message; each writer fills its own fields. */
export const messageMetaSchema = z.object({
  /** The name an integration posts under (bot, webhook, command). */
  username: z.string().optional(),
  /** A webhook's icon: always a path of this server's image proxy. */
  iconUrl: z.string().optional(),
  iconEmoji: z.string().optional(),
  webhookId: z.string().optional(),
  outgoingWebhookId: z.string().optional(),
  /** A custom slash command's answer: the command and who typed it. */
  command: z.string().optional(),
  invokedBy: z.string().optional(),
  forwarded: forwardedSnapshotSchema.optional(),
});
export type MessageMeta = z.infer<typeof messageMetaSchema>;

export const messageSchema = z.object({
  id: z.uuid(),
  roomId: z.uuid(),
  /** Position in the room (strictly increasing, commit order). */
  seq: z.number().int(),
  kind: z.enum(messageKinds),
  authorId: z.string().nullable(),
  /** Display overrides for bots and webhooks (username, icon). */
  author: authorSchema.nullable(),
  meta: messageMetaSchema.nullable(),
  /** Markdown as typed; empty for a deleted message. */
  text: z.string(),
  clientKey: z.string().nullable(),
  parentId: z.string().nullable(),
  alsoInChannel: z.boolean(),
  quoteId: z.string().nullable(),
  forwardedFromId: z.string().nullable(),
  attachments: z.array(attachmentSchema).nullable(),
  preview: previewSchema.nullable(),
  mentions: z.object({
    userIds: z.array(z.string()),
    all: z.boolean(),
    here: z.boolean(),
    roomIds: z.array(z.string()),
  }),
  replyCount: z.number().int(),
  lastReplyAt: z.string().nullable(),
  reactions: z.array(reactionSummarySchema),
  pinnedAt: z.string().nullable(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  deletedAt: z.string().nullable(),
});
export type ChatMessage = z.infer<typeof messageSchema>;

/** Room as seen by nobody in particular (no viewer membership): what room events carry. */
export const publicRoomSchema = roomSchema.omit({ membership: true, actions: true });
export type PublicRoom = z.infer<typeof publicRoomSchema>;

export const sidebarSectionSchema = z.object({
  key: z.enum(["favourites", "channels", "direct"]),
  rooms: z.array(roomSchema),
});
export type SidebarSection = z.infer<typeof sidebarSectionSchema>;
export const sidebarSchema = z.object({ sections: z.array(sidebarSectionSchema) });
export type Sidebar = z.infer<typeof sidebarSchema>;

// ---------- request bodies and queries ----------

/** A room is created from its name, its address (`slug`) or both: without an address one is made from the name. */
export const createRoomBody = z
  .object({
    type: z.enum(["channel", "private"]),
    slug: slugSchema.optional(),
    name: z.string().trim().min(1).max(80).optional(),
    topic: z.string().trim().max(250).default(""),
    description: z.string().trim().max(1000).default(""),
    announcement: z.boolean().default(false),
    memberIds: z.array(z.uuid()).max(500).default([]),
  })
  .strict()
  .refine((b) => b.slug !== undefined || (b.name !== undefined && slugFromName(b.name) !== ""), {
    message: "give a name with letters or digits, or an address",
    path: ["name"],
  });

export const updateRoomBody = z
  .object({
    slug: slugSchema.optional(),
    name: z.string().trim().min(1).max(80).optional(),
    topic: z.string().trim().max(250).optional(),
    description: z.string().trim().max(1000).optional(),
    announcement: z.boolean().optional(),
    membersCanMentionAll: z.boolean().optional(),
    membersCanInvite: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "nothing to change" });

export const openDirectBody = z
  .object({
    userIds: z
      .array(z.uuid())
      .min(1)
      .max(MAX_DM_MEMBERS - 1),
  })
  .strict();

export const inviteBody = z
  .object({ userIds: z.array(z.uuid()).max(500).default([]), groupIds: z.array(z.uuid()).max(50).default([]) })
  .strict()
  .refine((b) => b.userIds.length + b.groupIds.length > 0, { message: "nobody to invite" });

export const setMemberRoleBody = z.object({ role: roomRoleSchema }).strict();
export const leaveBody = z.object({ newOwnerId: z.uuid().optional() }).strict();

export const preferencesBody = z
  .object({ favourite: z.boolean().optional(), muted: z.boolean().optional(), hidden: z.boolean().optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "nothing to change" });

export const sendMessageBody = z
  .object({
    /** Unique per author: a retried send answers the message already created. */
    clientKey: z.string().trim().min(1).max(100),
    text: z.string().max(40_000).default(""),
    parentId: z.uuid().optional(),
    alsoInChannel: z.boolean().default(false),
    quoteId: z.uuid().optional(),
    // Only the call route makes a call's join button: a sent one loses it.
    attachments: z
      .array(attachmentSchema.omit({ call: true }))
      .max(20)
      .optional(),
    /** Required to notify everyone in a room above the confirmation threshold. */
    confirmAll: z.boolean().default(false),
  })
  .strict();

export const editMessageBody = z
  .object({ text: z.string().max(40_000), confirmAll: z.boolean().default(false) })
  .strict();
export const reactionBody = z
  .object({
    emoji: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[^\s]+$/),
  })
  .strict();
export const forwardBody = z
  .object({ roomId: z.uuid(), clientKey: z.string().trim().min(1).max(100), text: z.string().max(4000).default("") })
  .strict();
export const draftBody = z
  .object({ text: z.string().max(40_000), parentId: z.uuid().nullable().default(null) })
  .strict();
export const markReadBody = z.object({ messageId: z.uuid().optional() }).strict();
export const markUnreadBody = z.object({ messageId: z.uuid() }).strict();

export const historyQuery = z
  .object({
    before: z.uuid().optional(),
    after: z.uuid().optional(),
    around: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((q) => [q.before, q.after, q.around].filter(Boolean).length <= 1, {
    message: "only one of before, after, around",
  });

export const directoryQuery = z.object({
  q: z.string().trim().max(100).optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  archived: z.enum(["include", "exclude", "only"]).default("exclude"),
});

export const searchQuery = z.object({
  q: z.string().trim().min(1).max(500),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
