import { sql } from "kysely";
import type { DbKind } from "@ensemble/kernel";
import type { AuthorInfo } from "./present-message.ts";
import { indexMessage, searchEntry, searchRow } from "./search-index.ts";
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
 * PostgreSQL until commit, so sends to one room commit in seq order), stores
 * the message with it and its search entry, moves the author's read marker
 * to it when asked, and reads the author. On PostgreSQL that is one statement
 * (data-modifying CTEs: each statement is a network round trip, and the room
 * row stays locked from this one to the commit — bench `chat`); SQLite runs in
 * process and keeps plain statements. `row.seq` is set to the number given.
 */
export async function insertSequenced(
  tx: ChatDb,
  kind: DbKind,
  o: { authorId: string | null; moveReadMarker: boolean },
  row: ChatMessagesTable,
): Promise<SequencedRoom> {
  if (kind !== "postgres") {
    const room = await sequenceRoom(tx, {
      roomId: row.room_id,
      authorId: o.authorId,
      moveReadMarker: o.moveReadMarker,
      now: row.created_at,
    });
    row.seq = room.seq;
    await tx.insertInto("chat_messages").values(row).execute();
    await indexMessage(tx, kind, row, { isNew: true });
    return room;
  }
  const marker =
    o.moveReadMarker && o.authorId
      ? sql`, mm as (update chat_members set last_read_seq = r.last_seq from r
          where chat_members.room_id = ${row.room_id} and chat_members.user_id = ${o.authorId} and chat_members.last_read_seq < r.last_seq)`
      : sql``;
  // The message takes the room's new number; a room that is gone leaves it null, and the insert fails.
  const message = tx.insertInto("chat_messages").values({ ...row, seq: sql<number>`(select last_seq from r)` });
  const folded = searchEntry(row);
  // Its own id is known here: the foreign key to the message is checked at the end of the statement.
  const search =
    folded === null ? sql`` : sql`, s as (${tx.insertInto("chat_message_search").values(searchRow(row, folded))})`;
  const { rows } = await sql<{
    last_seq: number | string;
    type: string;
    slug: string | null;
    name: string;
    a_id: string | null;
    a_username: string | null;
    a_name: string | null;
  }>`
    with r as (update chat_rooms set last_seq = last_seq + 1, last_message_at = ${row.created_at} where id = ${row.room_id} returning last_seq, type, slug, name)${marker},
    m as (${message})${search}
    select r.last_seq, r.type, r.slug, r.name, u.id as a_id, u.username as a_username, u.display_name as a_name
    from r left join users u on u.id = ${o.authorId}`.execute(tx);
  const r = rows[0];
  if (!r) throw new Error(`room ${row.room_id} not found`);
  const author =
    r.a_id && r.a_username !== null && r.a_name !== null
      ? { id: r.a_id, username: r.a_username, displayName: r.a_name }
      : null;
  row.seq = Number(r.last_seq);
  return { seq: row.seq, type: r.type, slug: r.slug, name: r.name, author };
}

/** SQLite: the room's next number, the author's read marker, the author (in process, so plain statements). */
async function sequenceRoom(
  tx: ChatDb,
  o: { roomId: string; authorId: string | null; moveReadMarker: boolean; now: string },
): Promise<SequencedRoom> {
  const room = await tx
    .updateTable("chat_rooms")
    .set((eb) => ({ last_seq: eb("last_seq", "+", 1), last_message_at: o.now }))
    .where("id", "=", o.roomId)
    .returning(["last_seq", "type", "slug", "name"])
    .executeTakeFirstOrThrow();
  const seq = Number(room.last_seq);
  if (o.moveReadMarker && o.authorId) {
    await tx
      .updateTable("chat_members")
      .set({ last_read_seq: seq })
      .where("room_id", "=", o.roomId)
      .where("user_id", "=", o.authorId)
      .where("last_read_seq", "<", seq)
      .execute();
  }
  const u = o.authorId
    ? await tx
        .selectFrom("users")
        .select(["id", "username", "display_name"])
        .where("id", "=", o.authorId)
        .executeTakeFirst()
    : undefined;
  return {
    seq,
    type: room.type,
    slug: room.slug,
    name: room.name,
    author: u ? { id: u.id, username: u.username, displayName: u.display_name } : null,
  };
}
