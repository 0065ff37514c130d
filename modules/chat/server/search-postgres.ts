import { sql, type RawBuilder } from "kysely";
import type { ChatDb } from "./tables.ts";
import type { ParsedSearch } from "./search.ts";

/**
 * Newest rows of `chat_message_search` looked at by the first, index-ordered
 * pass: a word in more than ~limit/WINDOW of them (a common one) fills the
 * page there. Rarer words go to the GIN index for the rows older than that.
 */
const WINDOW = 5_000;

export interface SearchScope {
  actorId: string;
  /** Public channels are readable without being a member (not for guests). */
  browse: boolean;
  /** `[created_at, id]` of the last hit of the previous page. */
  cursor: [string, string] | null;
}

/**
 * PostgreSQL: ids of the matching messages the actor may read, newest first
 * (up to `limit`), read from `chat_message_search` alone — its stored
 * tsvector, room, time, author and flags. First pass: walk the newest
 * WINDOW rows by the (created_at, message_id) index, test each one's tsvector
 * and read access, stop at the page: a common word costs about a page. If the
 * page is not full, second pass: every match older than the window from the
 * GIN index (few, since the word was rare in the window), sorted. No per-row
 * to_tsvector, no join to chat_messages per candidate (bench `chat`).
 */
export async function searchPostgresIds(
  db: ChatDb,
  p: ParsedSearch,
  scope: SearchScope,
  limit: number,
  /** Tests make it small to reach the second pass with a few messages. */
  window = WINDOW,
): Promise<{ id: string; created_at: string }[]> {
  const tsq = p.terms.map((t) => `${t}:*`).join(" & ");
  const bounds = boundsOf(p, scope);
  const readable = sql`(s.room_id in (select cm.room_id from chat_members cm where cm.user_id = ${scope.actorId})${
    scope.browse ? sql` or s.room_id in (select r.id from chat_rooms r where r.type = 'channel')` : sql``
  })`;
  const filters = filtersOf(p);
  // The inner LIMIT keeps the walk to the window; the planner cannot pull the tsvector test into it.
  const first = await sql<{ id: string; created_at: string }>`
    select s.message_id as id, s.created_at from (
      select message_id, room_id, author_id, created_at, has_file, has_link, tsv from chat_message_search
      where ${bounds} order by created_at desc, message_id desc limit ${window}
    ) s
    where s.tsv @@ to_tsquery('simple', ${tsq}) and ${readable} and ${filters}
    order by s.created_at desc, s.message_id desc limit ${limit}`.execute(db);
  if (first.rows.length >= limit) return first.rows;
  // Rows older than the window's oldest; none when the window held them all. MATERIALIZED: every match, then sort
  // (the planner would otherwise walk the recency index again for a word its statistics call common). The window's
  // edge is applied outside, so it is not ANDed in as a bitmap over every older row either.
  const rest = await sql<{ id: string; created_at: string }>`
    with edge as (
      select created_at, message_id from chat_message_search
      where ${bounds} order by created_at desc, message_id desc offset ${window - 1} limit 1
    ), hits as materialized (
      select s.message_id, s.created_at from chat_message_search s
      where s.tsv @@ to_tsquery('simple', ${tsq}) and ${bounds} and ${filters} and ${readable}
    )
    select message_id as id, created_at from hits
    where (created_at, message_id) < (select created_at, message_id from edge)
    order by created_at desc, message_id desc limit ${limit - first.rows.length}`.execute(db);
  return [...first.rows, ...rest.rows];
}

/** Time bounds: the page cursor, `before:` and `after:`. */
function boundsOf(p: ParsedSearch, scope: SearchScope): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (scope.cursor) parts.push(sql`(created_at, message_id) < (${scope.cursor[0]}, ${scope.cursor[1]})`);
  if (p.before) parts.push(sql`created_at < ${p.before}`);
  if (p.after) parts.push(sql`created_at >= ${new Date(Date.parse(p.after) + 86_400_000).toISOString().slice(0, 10)}`);
  return sql.join(parts, sql` and `);
}

/** `in:#room`, `from:@user`, `has:file`, `has:link`, on the search row's own columns. */
function filtersOf(p: ParsedSearch): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (p.inRooms.length) parts.push(sql`s.room_id in (select r.id from chat_rooms r where r.slug in (${sql.join(p.inRooms)}))`);
  if (p.fromUsers.length) parts.push(sql`s.author_id in (select u.id from users u where u.username in (${sql.join(p.fromUsers)}))`);
  if (p.hasFile) parts.push(sql`s.has_file = 1`);
  if (p.hasLink) parts.push(sql`s.has_link = 1`);
  return sql.join(parts, sql` and `);
}
