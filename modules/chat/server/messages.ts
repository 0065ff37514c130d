import type { Actor, Kernel } from "@ensemble/kernel";
import type { MessageRecord, RoomRecord } from "./resources.ts";
import { getChatSettings } from "./chat-settings.ts";
import { normalizeMessage } from "./present-message.ts";
import { loadRoom } from "./rooms.ts";
import type { ChatDb, ChatMessagesTable } from "./tables.ts";

/** Until when the author may still edit or delete (null: no limit). */
export async function authorWindowUntil(k: Kernel, m: Pick<ChatMessagesTable, "created_at">): Promise<string | null> {
  const minutes = (await getChatSettings(k)).editWindowMinutes;
  return minutes === 0 ? null : new Date(Date.parse(m.created_at) + minutes * 60_000).toISOString();
}

export async function withRoom(k: Kernel, row: ChatMessagesTable, room: RoomRecord): Promise<MessageRecord> {
  return { ...normalizeMessage(row), room, authorWindowUntil: await authorWindowUntil(k, row) };
}

/** A message with its room and the viewer's role in it, as the policy needs it. */
export async function loadMessage(k: Kernel, db: ChatDb, id: string, actor: Actor): Promise<MessageRecord | undefined> {
  const row = await db.selectFrom("chat_messages").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) return undefined;
  const room = await loadRoom(db, row.room_id, actor);
  return room ? withRoom(k, row, room) : undefined;
}

/** The message row's own columns (what presenters take), without the policy extras. */
export function rowOf(m: MessageRecord): ChatMessagesTable {
  const { room: _room, authorWindowUntil: _until, ...row } = m;
  return row;
}
