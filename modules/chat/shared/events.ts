import type { ChatMessage, Room, RoomMember } from "./schemas.ts";
import type { RoomRole } from "./capabilities.ts";

/**
 * Chat event names (`chat.<resource>.<verb>`) and their payloads. Room events
 * go to `room:<id>`; membership, read state, drafts and preferences also (or
 * only) go to `user:<id>` so the member's other devices and sidebar follow.
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
} as const;
export type ChatEventName = (typeof ChatEvents)[keyof typeof ChatEvents];

/** Room as seen by nobody in particular (no viewer membership). */
export type PublicRoom = Omit<Room, "membership">;

export interface ChatEventPayloads {
  "chat.room.created": { room: PublicRoom };
  "chat.room.updated": { room: PublicRoom };
  "chat.room.archived": { roomId: string };
  "chat.room.unarchived": { roomId: string };
  "chat.member.added": { roomId: string; member: RoomMember; viaGroupId: string | null };
  "chat.member.removed": { roomId: string; userId: string; left: boolean };
  "chat.member.role_changed": { roomId: string; userId: string; role: RoomRole };
  /** `message.reactions` is empty: reactions travel as their own events. */
  "chat.message.created": { message: ChatMessage; notify: MessageNotifyHints };
  "chat.message.updated": { message: ChatMessage };
  "chat.message.deleted": { roomId: string; messageId: string; parentId: string | null };
  "chat.message.pinned": { roomId: string; messageId: string; pinnedAt: string };
  "chat.message.unpinned": { roomId: string; messageId: string };
  "chat.reaction.added": { roomId: string; messageId: string; userId: string; emoji: string };
  "chat.reaction.removed": { roomId: string; messageId: string; userId: string; emoji: string };
  "chat.read.updated": { roomId: string; userId: string; lastReadSeq: number; messageId: string | null };
  "chat.preferences.updated": { roomId: string; favourite: boolean; muted: boolean; hidden: boolean };
  "chat.draft.updated": { roomId: string; parentId: string | null; text: string; updatedAt: string };
  "chat.thread.followed": { roomId: string; threadId: string };
  "chat.thread.unfollowed": { roomId: string; threadId: string };
}

/** Who a new message concerns, computed once at send time for notification and integration handlers. */
export interface MessageNotifyHints {
  mentionedUserIds: string[];
  all: boolean;
  here: boolean;
  /** Followers of the thread (reply) other than the author. */
  threadFollowerIds: string[];
  /** For DMs: every participant other than the author. */
  directRecipientIds: string[];
}
