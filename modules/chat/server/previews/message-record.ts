import type { Actor, Kernel } from "@ensemble/kernel";
import { recordEvent } from "@ensemble/kernel";
import { messageSource, redactMessages } from "../redact-message.ts";
import { roomTopic } from "../../shared/resources.ts";
import { normalizeMessage, presentOne } from "../present-message.ts";
import type { MessageRecord } from "../resources.ts";
import { loadRoom } from "../rooms.ts";
import { chatDb, type ChatDb } from "../tables.ts";

/** A message with its room as the policy sees them for this actor, or undefined. */
export async function loadMessageRecord(k: Kernel, id: string, actor: Actor): Promise<MessageRecord | undefined> {
  const db = chatDb(k);
  const row = await db.selectFrom("chat_messages").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) return undefined;
  const room = await loadRoom(db, row.room_id, actor);
  if (!room) return undefined;
  // The edit window does not matter to the actions checked here (read, moderate).
  return { ...normalizeMessage(row), room, authorWindowUntil: null };
}

/** Re-reads a message in the transaction and records `chat.message.updated` to its room; answers it presented. */
export async function recordMessageUpdated(tx: ChatDb, messageId: string, actorId: string | null) {
  const row = normalizeMessage(
    await tx.selectFrom("chat_messages").selectAll().where("id", "=", messageId).executeTakeFirstOrThrow(),
  );
  const message = await presentOne(tx, row, null);
  await redactMessages(tx, [row.id], () => message);
  await recordEvent(tx, {
    name: "chat.message.updated",
    actorId,
    resources: { room: row.room_id, message: row.id },
    payload: { message },
    topics: [roomTopic(row.room_id)],
    source: messageSource(row.id),
  });
  return message;
}
