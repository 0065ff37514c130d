import { redactSources, type TransactionLike } from "@ensemble/kernel";
import type { ChatMessage } from "../shared/schemas.ts";

/** The `source` of every recorded event and notification that copies a message's content. */
export const messageSource = (id: string): string => `chat.message:${id}`;

/** A message as it shows once deleted: its place in the room, none of its content. */
export function tombstone(m: ChatMessage, deletedAt: string): ChatMessage {
  return {
    ...m,
    meta: null,
    text: "",
    attachments: null,
    preview: null,
    mentions: { userIds: [], all: false, here: false, roomIds: [] },
    reactions: [],
    pinnedAt: null,
    deletedAt: m.deletedAt ?? deletedAt,
  };
}

const isMessage = (v: unknown): v is ChatMessage =>
  typeof v === "object" && v !== null && typeof (v as { id?: unknown }).id === "string";

/**
 * After a delete, an edit or a retention purge: every earlier event of these
 * messages (the realtime log a late subscriber catches up from) carries
 * `replace(message)` instead of what it was sent with, and their
 * notifications lose the excerpt. In the caller's transaction.
 */
export async function redactMessages(
  tx: TransactionLike,
  ids: readonly string[],
  replace: (old: ChatMessage) => ChatMessage,
): Promise<void> {
  await redactSources(tx, ids.map(messageSource), (name, payload) => {
    if (name !== "chat.message.created" && name !== "chat.message.updated") return payload;
    const p = payload as { message?: unknown };
    return isMessage(p.message) ? { ...p, message: replace(p.message) } : payload;
  });
}
