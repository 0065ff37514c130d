import { z } from "zod";
import { attachmentSchema, memberSchema, messageSchema, publicRoomSchema, roomRoleSchema } from "./schemas.ts";
import { customEmojiSchema } from "./emoji-data.ts";

/**
 * Chat event names (`chat.<resource>.<verb>`). Room events go to
 * `room:<id>`; membership, read state, drafts and preferences also (or only)
 * go to `user:<id>` so the member's other devices and sidebar follow.
 */
export const ChatEvents = {
  roomCreated: "chat.room.created",
  roomUpdated: "chat.room.updated",
  roomArchived: "chat.room.archived",
  roomUnarchived: "chat.room.unarchived",
  memberAdded: "chat.member.added",
  memberRemoved: "chat.member.removed",
  memberRoleChanged: "chat.member.role_changed",
  messageCreated: "chat.message.created",
  messageUpdated: "chat.message.updated",
  messageDeleted: "chat.message.deleted",
  messagePinned: "chat.message.pinned",
  messageUnpinned: "chat.message.unpinned",
  reactionAdded: "chat.reaction.added",
  reactionRemoved: "chat.reaction.removed",
  readUpdated: "chat.read.updated",
  preferencesUpdated: "chat.preferences.updated",
  draftUpdated: "chat.draft.updated",
  threadFollowed: "chat.thread.followed",
  threadUnfollowed: "chat.thread.unfollowed",
  ephemeralPosted: "chat.ephemeral.posted",
  reportCreated: "chat.report.created",
  reportResolved: "chat.report.resolved",
  muteChanged: "chat.mute.changed",
  retentionApplied: "chat.retention.applied",
  emojiCreated: "chat.emoji.created",
  emojiDeleted: "chat.emoji.deleted",
} as const;

/** Who a new message concerns, computed once at send time for notification and integration handlers. */
export const messageNotifyHintsSchema = z.object({
  mentionedUserIds: z.array(z.string()),
  all: z.boolean(),
  here: z.boolean(),
  /** Followers of the thread (reply) other than the author. */
  threadFollowerIds: z.array(z.string()),
  /** For DMs: every participant other than the author. */
  directRecipientIds: z.array(z.string()),
});
export type MessageNotifyHints = z.infer<typeof messageNotifyHintsSchema>;

/** A message shown to one person only (slash command answers); never stored as a room message. */
export const ephemeralMessageSchema = z.object({
  id: z.string(),
  roomId: z.string(),
  parentId: z.string().nullable(),
  text: z.string(),
  attachments: z.array(attachmentSchema).nullable(),
  /** Who answers: `Ensemble` for built-ins, the command for custom ones. */
  username: z.string(),
  createdAt: z.string(),
});
export type EphemeralMessage = z.infer<typeof ephemeralMessageSchema>;

export const reportResolutions = ["dismissed", "message_deleted", "member_muted", "handled"] as const;
export const reportResolutionSchema = z.enum(reportResolutions);
export type ReportResolution = z.infer<typeof reportResolutionSchema>;

const reaction = z.object({ roomId: z.string(), messageId: z.string(), userId: z.string(), emoji: z.string() });
const thread = z.object({ roomId: z.string(), threadId: z.string() });

/** The payload of every chat event: checked when recorded (tests, development), the web's types derive from it. */
export const chatEventSchemas = {
  "chat.room.created": z.object({ room: publicRoomSchema }),
  "chat.room.updated": z.object({ room: publicRoomSchema }),
  "chat.room.archived": z.object({ roomId: z.string() }),
  "chat.room.unarchived": z.object({ roomId: z.string() }),
  "chat.member.added": z.object({
    roomId: z.string(),
    member: memberSchema.omit({ actions: true }),
    viaGroupId: z.string().nullable(),
  }),
  "chat.member.removed": z.object({ roomId: z.string(), userId: z.string(), left: z.boolean() }),
  "chat.member.role_changed": z.object({ roomId: z.string(), userId: z.string(), role: roomRoleSchema }),
  /** `message.reactions` is empty: reactions travel as their own events. */
  "chat.message.created": z.object({ message: messageSchema, notify: messageNotifyHintsSchema }),
  "chat.message.updated": z.object({ message: messageSchema }),
  "chat.message.deleted": z.object({ roomId: z.string(), messageId: z.string(), parentId: z.string().nullable() }),
  "chat.message.pinned": z.object({ roomId: z.string(), messageId: z.string(), pinnedAt: z.string() }),
  "chat.message.unpinned": z.object({ roomId: z.string(), messageId: z.string() }),
  "chat.reaction.added": reaction,
  "chat.reaction.removed": reaction,
  "chat.read.updated": z.object({
    roomId: z.string(),
    userId: z.string(),
    lastReadSeq: z.number().int(),
    messageId: z.string().nullable(),
  }),
  "chat.preferences.updated": z.object({
    roomId: z.string(),
    favourite: z.boolean(),
    muted: z.boolean(),
    hidden: z.boolean(),
  }),
  "chat.draft.updated": z.object({
    roomId: z.string(),
    parentId: z.string().nullable(),
    text: z.string(),
    updatedAt: z.string(),
  }),
  "chat.thread.followed": thread,
  "chat.thread.unfollowed": thread,
  "chat.ephemeral.posted": z.object({ message: ephemeralMessageSchema }),
  /** No realtime audience: reporters stay anonymous to the room; moderators list reports. */
  "chat.report.created": z.object({ roomId: z.string(), reportId: z.string(), messageId: z.string() }),
  "chat.report.resolved": z.object({ roomId: z.string(), reportId: z.string(), resolution: reportResolutionSchema }),
  "chat.mute.changed": z.object({
    roomId: z.string(),
    userId: z.string(),
    until: z.string().nullable(),
    muted: z.boolean(),
  }),
  "chat.retention.applied": z.object({ scope: z.string(), days: z.number().int(), deleted: z.number().int() }),
  "chat.emoji.created": z.object({ emoji: customEmojiSchema }),
  "chat.emoji.deleted": z.object({ name: z.string() }),
} as const;

export type ChatEventName = keyof typeof chatEventSchemas;
export type ChatEventPayloads = { [K in ChatEventName]: z.infer<(typeof chatEventSchemas)[K]> };
