import { readSources, unreadSources } from "@ensemble/kernel";
import type { ChatDb } from "./tables.ts";

const SOURCE = "chat.message:";

/**
 * A mention or direct message seen in its room is no longer news: once the
 * reader's marker passes it, its notification is marked read too (the bell
 * follows at once through the kernel's read event). Thread replies are read
 * in their thread, not by reading the room, so they keep theirs.
 */
export async function readRoomNotifications(tx: ChatDb, roomId: string, userId: string, seq: number): Promise<void> {
  const sources = await unreadSources(tx, userId, SOURCE);
  if (!sources.length) return;
  const seen = await tx
    .selectFrom("chat_messages")
    .select("id")
    .where(
      "id",
      "in",
      sources.map((s) => s.slice(SOURCE.length)),
    )
    .where("room_id", "=", roomId)
    .where("in_channel", "=", 1)
    .where("seq", "<=", seq)
    .execute();
  await readSources(
    tx,
    userId,
    seen.map((m) => SOURCE + m.id),
  );
}
