import { sql, type SqlBool } from "kysely";
import { decodeCursor, encodeCursor } from "@ensemble/protocol";
import { AppError, type Kernel, type UserActor } from "@ensemble/kernel";
import { ChatMessageResource, ChatRoomResource } from "./resources.ts";
import type { SearchHit } from "../shared/message-wire.ts";
import { normalizeMessage, presentMessages } from "./present-message.ts";
import { queryTerms } from "./search-index.ts";
import { searchPostgresIds } from "./search-postgres.ts";
import { chatDb } from "./tables.ts";

export interface ParsedSearch {
  terms: string[];
  inRooms: string[];
  fromUsers: string[];
  hasFile: boolean;
  hasLink: boolean;
  before: string | null;
  after: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `in:#room from:@user has:file has:link before:2026-01-31 after:2026-01-01 words…` */
export function parseSearch(q: string): ParsedSearch {
  const out: ParsedSearch = {
    terms: [],
    inRooms: [],
    fromUsers: [],
    hasFile: false,
    hasLink: false,
    before: null,
    after: null,
  };
  const words: string[] = [];
  for (const tok of q.split(/\s+/).filter(Boolean)) {
    const m = /^(in|from|has|before|after):(.+)$/i.exec(tok);
    const key = m?.[1]?.toLowerCase();
    const value = m?.[2] ?? "";
    if (key === "in") out.inRooms.push(value.replace(/^#/, "").toLowerCase());
    else if (key === "from") out.fromUsers.push(value.replace(/^@/, "").toLowerCase());
    else if (key === "has" && value.toLowerCase() === "file") out.hasFile = true;
    else if (key === "has" && value.toLowerCase() === "link") out.hasLink = true;
    else if ((key === "before" || key === "after") && DATE.test(value)) out[key] = value;
    else words.push(tok);
  }
  out.terms = queryTerms(words.join(" "));
  return out;
}

/**
 * Messages the actor may read that match (the policy's scope: rooms they are
 * in, plus public channels when they may browse them). Accent- and
 * case-insensitive, every word matched as a prefix; newest first.
 */
export async function searchMessages(
  k: Kernel,
  actor: UserActor,
  q: string,
  opts: { limit: number; cursor?: string | undefined },
): Promise<{ items: SearchHit[]; next: string | null }> {
  const db = chatDb(k);
  const p = parseSearch(q);
  const cursor = decodeCursor(opts.cursor);
  if (opts.cursor && (!cursor || cursor.length !== 2)) throw new AppError("validation", "bad cursor");
  let query = db
    .selectFrom("chat_messages as m")
    .innerJoin("chat_rooms as r", "r.id", "m.room_id")
    .selectAll("m")
    .select(["r.type as roomType", "r.slug as roomSlug", "r.name as roomName"])
    .where("m.deleted_at", "is", null)
    .where(k.policy.scope(ChatRoomResource, actor)("r"))
    .orderBy("m.created_at", "desc")
    .orderBy("m.id", "desc")
    .limit(opts.limit + 1);
  // Newest first with an early stop, so a common word costs a page, not every match (bench `chat`).
  const ftsOrder = p.terms.length > 0 && k.database.kind === "sqlite";
  if (p.terms.length) {
    if (k.database.kind === "sqlite") {
      // The FTS row shares the message's rowid, and messages are only ever appended (postMessage) in created order:
      // walking the match backwards by rowid is newest first, and FTS5 streams it without collecting every match.
      const match = p.terms.map((t) => `"${t}"*`).join(" ");
      query = query
        .innerJoin(sql<{ rowid: number }>`chat_message_fts`.as("f"), (j) => j.on(sql<SqlBool>`f.rowid = m.rowid`))
        .where(sql<SqlBool>`f.chat_message_fts match ${match}`)
        .clearOrderBy()
        .orderBy(sql`f.rowid`, "desc");
    } else {
      // The page's ids from chat_message_search alone (stored tsvector, room, time, filters: search-postgres.ts); the
      // query below reads those few messages and checks them again.
      const at = cursor ? ([String(cursor[0]), String(cursor[1])] as [string, string]) : null;
      const hits = await searchPostgresIds(
        db,
        p,
        { readable: k.policy.scope(ChatMessageResource, actor)("s"), cursor: at },
        opts.limit + 1,
      );
      query = hits.length
        ? query.where(
            "m.id",
            "in",
            hits.map((h) => h.id),
          )
        : query.where(sql<SqlBool>`false`);
    }
  }
  if (p.inRooms.length) query = query.where("r.slug", "in", p.inRooms);
  if (p.fromUsers.length)
    query = query.where("m.author_id", "in", db.selectFrom("users").select("id").where("username", "in", p.fromUsers));
  if (p.hasFile) query = query.where("m.has_file", "=", 1);
  if (p.hasLink) query = query.where("m.has_link", "=", 1);
  if (p.before) query = query.where("m.created_at", "<", p.before);
  if (p.after)
    query = query.where("m.created_at", ">=", new Date(Date.parse(p.after) + 86_400_000).toISOString().slice(0, 10));
  if (cursor) {
    const [at, id] = cursor.map(String) as [string, string];
    query = ftsOrder
      ? // The cursor's message may be gone (retention): then the newest older than its time bounds the page.
        query.where(
          sql<SqlBool>`f.rowid < coalesce((select rowid from chat_messages where id = ${id}), (select max(rowid) + 1 from chat_messages where created_at < ${at}), 0)`,
        )
      : query.where((eb) =>
          eb.or([eb("m.created_at", "<", at), eb.and([eb("m.created_at", "=", at), eb("m.id", "<", id)])]),
        );
  }
  const rows = await query.execute();
  const page = rows.slice(0, opts.limit);
  const messages = await presentMessages(
    db,
    page.map(({ roomType: _t, roomSlug: _s, roomName: _n, ...m }) => normalizeMessage(m)),
    actor.id,
  );
  const last = page.at(-1);
  return {
    items: page.map((r, i) => ({
      message: messages[i]!,
      room: { id: r.room_id, type: r.roomType, slug: r.roomSlug, name: r.roomName },
    })),
    next: rows.length > opts.limit && last ? encodeCursor([last.created_at, last.id]) : null,
  };
}
