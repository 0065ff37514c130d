import { sql } from "kysely";
import type { DbKind } from "@ensemble/kernel";
import type { AuthorInfo } from "./present-message.ts";
import { indexMessage, searchEntry } from "./search-index.ts";
import type { ChatDb, ChatMessagesTable } from "./tables.ts";

export interface SequencedRoom {
  seq: number;
  type: string;
  slug: string | null;
  name: string;
  author: AuthorInfo | null;
}

/**
 * Hands out the room's next sequence number (locking the room row on
 * PostgreSQL until commit, so sends to one room commit in seq order), moves
 * the author's read marker to it when asked, and reads the author. On
 * PostgreSQL that is one statement (each is a network round trip, bench
 * `chat`); SQLite runs in process and keeps the plain statements.
 */
export async function sequenceRoom(
  tx: ChatDb,
  kind: DbKind,
  o: { roomId: string; authorId: string | null; moveReadMarker: boolean; now: string },
): Promise<SequencedRoom> {
  if (kind === "postgres") {
    const marker = o.moveReadMarker && o.authorId
      ? sql`, mm as (update chat_members set last_read_seq = r.last_seq from r
            where chat_members.room_id = ${o.roomId} and chat_members.user_id = ${o.authorId} and chat_members.last_read_seq < r.last_seq)`
      : sql``;
    const { rows } = await sql<{ last_seq: number | string; type: string; slug: string | null; name: string; a_id: string | null; a_username: string | null; a_name: string | null }>`
      with r as (update chat_rooms set last_seq = last_seq + 1, last_message_at = ${o.now} where id = ${o.roomId} returning last_seq, type, slug, name)${marker}
      select r.last_seq, r.type, r.slug, r.name, u.id as a_id, u.username as a_username, u.display_name as a_name
      from r left join users u on u.id = ${o.authorId}`.execute(tx);
    const r = rows[0];
    if (!r) throw new Error(`room ${o.roomId} not found`);
    const author = r.a_id && r.a_username !== null && r.a_name !== null ? { id: r.a_id, username: r.a_username, displayName: r.a_name } : null;
    return { seq: Number(r.last_seq), type: r.type, slug: r.slug, name: r.name, author };
  }
  const room = await tx
    .updateTable("chat_rooms")
    .set((eb) => ({ last_seq: eb("last_seq", "+", 1), last_message_at: o.now }))
    .where("id", "=", o.roomId)
    .returning(["last_seq", "type", "slug", "name"])
    .executeTakeFirstOrThrow();
  const seq = Number(room.last_seq);
  if (o.moveReadMarker && o.authorId) {
    await tx.updateTable("chat_members").set({ last_read_seq: seq }).where("room_id", "=", o.roomId).where("user_id", "=", o.authorId).where("last_read_seq", "<", seq).execute();
  }
  const u = o.authorId ? await tx.selectFrom("users").select(["id", "username", "display_name"]).where("id", "=", o.authorId).executeTakeFirst() : undefined;
  return { seq, type: room.type, slug: room.slug, name: room.name, author: u ? { id: u.id, username: u.username, displayName: u.display_name } : null };
}

/** Stores a new message and its search entry: one statement on PostgreSQL, two on SQLite (FTS5 keyed by the message rowid). */
export async function insertMessage(tx: ChatDb, kind: DbKind, row: ChatMessagesTable): Promise<void> {
  const folded = kind === "postgres" ? searchEntry(row) : null;
  if (folded === null) {
    await tx.insertInto("chat_messages").values(row).execute();
    if (kind === "sqlite") await indexMessage(tx, kind, row, { isNew: true });
    return;
  }
  await sql`with m as (${tx.insertInto("chat_messages").values(row).returning("id")})
    insert into chat_message_search (message_id, room_id, folded) select m.id, ${row.room_id}, ${folded} from m`.execute(tx);
}
