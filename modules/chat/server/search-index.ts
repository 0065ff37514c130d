import { sql } from "kysely";
import type { DbKind } from "@ensemble/kernel";
import { foldText } from "@ensemble/kernel";
import type { ChatDb, ChatMessageSearchTable, ChatMessagesTable } from "./tables.ts";

type Tx = ChatDb;

/** What a search entry is made of (PostgreSQL keeps the filters' columns beside the text). */
export type IndexedMessage = Pick<
  ChatMessagesTable,
  "id" | "room_id" | "text" | "attachments" | "created_at" | "author_id" | "has_file" | "has_link"
>;

/**
 * The message full-text index, kept in the same transaction as the message:
 * SQLite FTS5 (`chat_message_fts`) or PostgreSQL `chat_message_search` (a
 * stored tsvector of the folded text under GIN, with the room, time, author
 * and has:file/has:link flags the search filters on). Text is folded in JS
 * (case, accents) so both engines match `élève` with `eleve`, and prefixes
 * with `:*` / `*`.
 */
export async function indexMessage(
  tx: Tx,
  kind: DbKind,
  m: IndexedMessage,
  opts: { isNew?: boolean } = {},
): Promise<void> {
  // A message just inserted has no entry yet: one round trip fewer per send (bench `chat`).
  if (!opts.isNew) await unindexMessage(tx, kind, m.id);
  const folded = searchEntry(m);
  if (folded === null) return;
  if (kind === "sqlite") {
    // Keyed by the message row's rowid, so an edit or delete finds its entry without scanning.
    await sql`insert into chat_message_fts (rowid, folded, message_id, room_id) select rowid, ${folded}, id, room_id from chat_messages where id = ${m.id}`.execute(
      tx,
    );
  } else {
    await tx.insertInto("chat_message_search").values(searchRow(m, folded)).execute();
  }
}

/** PostgreSQL's search row for a message (its `tsv` is generated from `folded`). */
export function searchRow(m: IndexedMessage, folded: string): ChatMessageSearchTable {
  return {
    message_id: m.id,
    room_id: m.room_id,
    folded,
    created_at: m.created_at,
    author_id: m.author_id,
    has_file: Number(m.has_file),
    has_link: Number(m.has_link),
  };
}

/** The folded text a message is indexed under, or null when it has nothing searchable. */
export function searchEntry(m: { text: string; attachments: string | null }): string | null {
  const folded = foldText(searchableText(m.text, m.attachments));
  return folded.trim() ? folded : null;
}

export async function unindexMessage(tx: Tx, kind: DbKind, messageId: string): Promise<void> {
  if (kind === "sqlite")
    await sql`delete from chat_message_fts where rowid = (select rowid from chat_messages where id = ${messageId})`.execute(
      tx,
    );
  else await tx.deleteFrom("chat_message_search").where("message_id", "=", messageId).execute();
}

function searchableText(text: string, attachments: string | null): string {
  if (!attachments) return text;
  const list = JSON.parse(attachments) as {
    title?: string;
    text?: string;
    fallback?: string;
    pretext?: string;
    file?: { name?: string };
  }[];
  return [text, ...list.flatMap((a) => [a.pretext, a.title, a.text, a.fallback, a.file?.name])]
    .filter(Boolean)
    .join("\n");
}

/** Words of a free-text query, folded, each matched as a prefix; safe for both engines' query syntax. */
export function queryTerms(q: string): string[] {
  return foldText(q)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 12);
}
