import { defineEvent, type PayloadsOf } from "@ensemble/kernel";
import { chatEventSchemas as s } from "../shared/events.ts";

/**
 * Every event the chat records, with its payload schema (modules/chat/shared/events.ts)
 * and version: `recordEvent` checks payloads against them outside production.
 */
export const chatEvents = {
  roomCreated: defineEvent("chat.room.created", s["chat.room.created"], 1),
  roomUpdated: defineEvent("chat.room.updated", s["chat.room.updated"], 1),
  roomArchived: defineEvent("chat.room.archived", s["chat.room.archived"], 1),
  roomUnarchived: defineEvent("chat.room.unarchived", s["chat.room.unarchived"], 1),
  memberAdded: defineEvent("chat.member.added", s["chat.member.added"], 1),
  memberRemoved: defineEvent("chat.member.removed", s["chat.member.removed"], 1),
  memberRoleChanged: defineEvent("chat.member.role_changed", s["chat.member.role_changed"], 1),
  messageCreated: defineEvent("chat.message.created", s["chat.message.created"], 1),
  messageUpdated: defineEvent("chat.message.updated", s["chat.message.updated"], 1),
  messageDeleted: defineEvent("chat.message.deleted", s["chat.message.deleted"], 1),
  messagePinned: defineEvent("chat.message.pinned", s["chat.message.pinned"], 1),
  messageUnpinned: defineEvent("chat.message.unpinned", s["chat.message.unpinned"], 1),
  reactionAdded: defineEvent("chat.reaction.added", s["chat.reaction.added"], 1),
  reactionRemoved: defineEvent("chat.reaction.removed", s["chat.reaction.removed"], 1),
  readUpdated: defineEvent("chat.read.updated", s["chat.read.updated"], 1),
  preferencesUpdated: defineEvent("chat.preferences.updated", s["chat.preferences.updated"], 1),
  draftUpdated: defineEvent("chat.draft.updated", s["chat.draft.updated"], 1),
  threadFollowed: defineEvent("chat.thread.followed", s["chat.thread.followed"], 1),
  threadUnfollowed: defineEvent("chat.thread.unfollowed", s["chat.thread.unfollowed"], 1),
  ephemeralPosted: defineEvent("chat.ephemeral.posted", s["chat.ephemeral.posted"], 1),
  reportCreated: defineEvent("chat.report.created", s["chat.report.created"], 1),
  reportResolved: defineEvent("chat.report.resolved", s["chat.report.resolved"], 1),
  muteChanged: defineEvent("chat.mute.changed", s["chat.mute.changed"], 1),
  retentionApplied: defineEvent("chat.retention.applied", s["chat.retention.applied"], 1),
  emojiCreated: defineEvent("chat.emoji.created", s["chat.emoji.created"], 1),
  emojiDeleted: defineEvent("chat.emoji.deleted", s["chat.emoji.deleted"], 1),
};

// Typed payloads for `recordEvent(tx, { name: "chat.…" })` and the chat's event handlers.
declare module "@ensemble/kernel" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends PayloadsOf<typeof chatEvents> {}
}
