import { sql, type Expression, type RawBuilder, type SqlBool } from "kysely";
import type { ChatDb } from "./tables.ts";
import type { ParsedSearch } from "./search.ts";

/** How far each pass looks; tests make them small to reach every pass with a few messages. */
export interface SearchPasses {
  /** A word the planner expects in fewer messages than this is answered from the GIN index first. */
  few: number;
  /** That answer stands if the word has fewer matches than this (the estimate was right); else the walks. */
  cap: number;
  /** Newest rows walked: a word in more than ~page/window of them fills the page there. */
  window: number;
  /** Rows walked next (a word common in the history but not in the newest messages). */
  window2: number;
}

const PASSES: SearchPasses = { few: 2_000, cap: 20_000, window: 5_000, window2: 100_000 };

export interface SearchScope {
  /** The messages the actor may read, on the index's alias `s` (the policy's scope: `policy.scope(Message, actor)("s")`). */
  readable: Expression<SqlBool>;
  /** `[created_at, id]` of the last hit of the previous page. */
  cursor: [string, string] | null;
}

type Hit = { id: string; created_at: string };
/** Only rows older than this `[created_at, message_id]` (null: no such bound). */
type Edge = [string, string] | null;

/**
 * PostgreSQL: ids of the matching messages the actor may read, newest first
 * (up to `limit`), read from `chat_message_search` alone — its stored
 * tsvector, room, time, author and flags; no per-row to_tsvector, no join
 * per candidate (bench `chat`). GIN cannot return matches newest first, and
 * walking the (created_at, message_id) index costs rows/density, so the
 * planner's estimate of the word's matches (its statistics on the stored
 * tsvector are close, prefixes included) picks the way:
 * - a rare word: every match from the GIN index, sorted (if there are in fact
 *   `cap` or more, on to the walks);
 * - else walk the newest `window` rows, testing each one's tsvector and read
 *   access, stopping at the page (a common word: about a page of rows);
 * - else the next `window2` rows (common in the history, not lately);
 * - else every older match from the GIN index, sorted.
 */
export async function searchPostgresIds(
  db: ChatDb,
  p: ParsedSearch,
  scope: SearchScope,
  limit: number,
  passes: SearchPasses = PASSES,
): Promise<Hit[]> {
  const q: Query = {
    db,
    tsq: p.terms.map((t) => `${t}:*`).join(" & "),
    bounds: boundsOf(p, scope),
    readable: sql`${scope.readable}`,
    filters: filtersOf(p),
  };
  if ((await estimate(q)) < passes.few) {
    const rare = await fromIndex(q, null, passes.cap, limit);
    if (rare) return rare;
  }
  const first = await walk(q, null, passes.window, limit);
  if (first.hits.length >= limit || first.edge === "end") return first.hits;
  const second = await walk(q, first.edge, passes.window2, limit - first.hits.length);
  const hits = [...first.hits, ...second.hits];
  if (hits.length >= limit || second.edge === "end") return hits;
  return [...hits, ...((await fromIndex(q, second.edge, null, limit - hits.length)) ?? [])];
}

/** The planner's estimate of the messages matching the words (EXPLAIN: planned, not run). */
async function estimate(q: Query): Promise<number> {
  const { rows } = await sql<{
    "QUERY PLAN": unknown;
  }>`explain (format json) select 1 from chat_message_search s where s.tsv @@ to_tsquery('simple', ${q.tsq})`.execute(
    q.db,
  );
  const raw = rows[0]?.["QUERY PLAN"];
  const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as [{ Plan?: { "Plan Rows"?: number } }] | undefined;
  return plan?.[0]?.Plan?.["Plan Rows"] ?? Number.POSITIVE_INFINITY;
}

interface Query {
  db: ChatDb;
  tsq: string;
  bounds: RawBuilder<unknown>;
  readable: RawBuilder<unknown>;
  filters: RawBuilder<unknown>;
}

const olderThan = (edge: Edge) => (edge ? sql`(created_at, message_id) < (${edge[0]}, ${edge[1]})` : sql`true`);

/**
 * Matches among at most `window` rows older than `from`, newest first, up to
 * `want`. When the page is not filled, also where the walk ended: the
 * window's oldest row ("end" when there is no row older than it).
 */
async function walk(q: Query, from: Edge, window: number, want: number): Promise<{ hits: Hit[]; edge: Edge | "end" }> {
  // The inner LIMIT caps the walk; the outer one stops it at the page (the scan streams in index order).
  const { rows } = await sql<Hit>`
    select s.message_id as id, s.created_at from (
      select message_id, room_id, author_id, created_at, has_file, has_link, tsv from chat_message_search
      where ${q.bounds} and ${olderThan(from)} order by created_at desc, message_id desc limit ${window}
    ) s
    where s.tsv @@ to_tsquery('simple', ${q.tsq}) and ${q.readable} and ${q.filters}
    order by s.created_at desc, s.message_id desc limit ${want}`.execute(q.db);
  if (rows.length >= want) return { hits: rows, edge: null };
  const edge = await sql<{ created_at: string; message_id: string }>`
    select created_at, message_id from chat_message_search
    where ${q.bounds} and ${olderThan(from)} order by created_at desc, message_id desc offset ${window - 1} limit 1`.execute(
    q.db,
  );
  const e = edge.rows[0];
  return { hits: rows, edge: e ? [e.created_at, e.message_id] : "end" };
}

/**
 * Every match older than `from` from the GIN index, sorted, up to `want`; or
 * null when the word has `cap` or more matches (then walking finds the page
 * sooner). MATERIALIZED keeps the planner from walking the recency index
 * instead; `from` is applied outside, so it is not ANDed in as a bitmap of
 * every older row either. The count includes the walked window's matches.
 */
async function fromIndex(q: Query, from: Edge, cap: number | null, want: number): Promise<Hit[] | null> {
  const { rows } = await sql<{ n: number | string; id: string | null; created_at: string | null }>`
    with hits as materialized (
      select s.message_id, s.created_at from chat_message_search s
      where s.tsv @@ to_tsquery('simple', ${q.tsq}) and ${q.bounds} and ${q.filters} and ${q.readable}
      ${cap === null ? sql`` : sql`limit ${cap}`}
    ), page as (
      select message_id, created_at from hits where ${olderThan(from)} order by created_at desc, message_id desc limit ${want}
    )
    select (select count(*) from hits) as n, page.message_id as id, page.created_at
    from (select 1) as one left join page on true
    order by page.created_at desc, page.message_id desc`.execute(q.db);
  if (cap !== null && Number(rows[0]?.n ?? 0) >= cap) return null;
  return rows.flatMap((r) => (r.id !== null && r.created_at !== null ? [{ id: r.id, created_at: r.created_at }] : []));
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
  if (p.inRooms.length)
    parts.push(sql`s.room_id in (select r.id from chat_rooms r where r.slug in (${sql.join(p.inRooms)}))`);
  if (p.fromUsers.length)
    parts.push(sql`s.author_id in (select u.id from users u where u.username in (${sql.join(p.fromUsers)}))`);
  if (p.hasFile) parts.push(sql`s.has_file = 1`);
  if (p.hasLink) parts.push(sql`s.has_link = 1`);
  return sql.join(parts, sql` and `);
}
