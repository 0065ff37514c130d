import path from "node:path";
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { uuidv7 } from "@ensemble/protocol";
import { insertUser, createSession, openSqlite } from "@ensemble/kernel/testing";
import { foldText } from "@ensemble/kernel";
import type { KernelTables } from "@ensemble/kernel";
import { messageText } from "./chat-corpus.ts";

export interface SeededUser {
  id: string;
  cookie: string;
  csrf: string;
}

/**
 * Direct access to the bench server's database, for what would take hours
 * through the API (1,000 argon2 sign-ups, 1,000,000 sends). Users and
 * sessions go through the kernel's own insertUser/createSession; chat rows
 * are written exactly as postMessage and indexMessage write them (same
 * columns, folded text in the same full-text table).
 */
export interface SeedDb {
  kind: "sqlite" | "postgres";
  users(n: number, prefix: string): Promise<SeededUser[]>;
  members(roomId: string, userIds: string[]): Promise<void>;
  /** Messages seq 1..count in one room; returns the ids of `samples` messages spread over the middle of the history. */
  messages(
    roomId: string,
    count: number,
    authorIds: string[],
    samples: number,
    progress: (done: number) => void,
  ): Promise<string[]>;
  close(): Promise<void>;
}

const MENTIONS_NONE = JSON.stringify({ userIds: [], all: false, here: false, roomIds: [] });
/** One message a minute, ending an hour ago: the history spans ~2 years for 1,000,000 messages. */
const createdAt = (seq: number, count: number) =>
  new Date(Date.now() - 3_600_000 - (count - seq) * 60_000).toISOString();

async function usersVia(db: Kysely<KernelTables>, n: number, prefix: string): Promise<SeededUser[]> {
  return db.transaction().execute(async (tx) => {
    const out: SeededUser[] = [];
    for (let i = 0; i < n; i++) {
      // No password: the bench signs them in by creating their sessions, as sign-in does after argon2.
      const u = await insertUser(tx, {
        username: `${prefix}${String(i).padStart(4, "0")}`,
        displayName: `Bench ${i}`,
        email: null,
        role: "member",
        passwordHash: null,
      });
      const s = await createSession(tx, u.id, { userAgent: "bench", ip: "127.0.0.1" }, 1);
      out.push({ id: u.id, cookie: `ensemble_session=${s.token}; ensemble_csrf=${s.csrfToken}`, csrf: s.csrfToken });
    }
    return out;
  });
}

async function membersVia(db: Kysely<KernelTables>, roomId: string, userIds: string[]): Promise<void> {
  const joined = new Date().toISOString();
  const kdb = db as unknown as Kysely<{
    chat_members: { room_id: string; user_id: string; role: string; joined_at: string };
  }>;
  for (let i = 0; i < userIds.length; i += 500) {
    const rows = userIds
      .slice(i, i + 500)
      .map((user_id) => ({ room_id: roomId, user_id, role: "member", joined_at: joined }));
    await kdb
      .insertInto("chat_members")
      .values(rows)
      .onConflict((oc) => oc.columns(["room_id", "user_id"]).doNothing())
      .execute();
  }
}

const sampleSeqs = (count: number, samples: number) =>
  new Set(Array.from({ length: samples }, (_, i) => Math.floor(count * 0.1 + ((count * 0.8) / samples) * i) + 1));

export function openSqliteSeed(dataDir: string): SeedDb {
  const { dialect, raw } = openSqlite(path.join(dataDir, "ensemble.db"));
  const db = new Kysely<KernelTables>({ dialect });
  return {
    kind: "sqlite",
    users: (n, prefix) => usersVia(db, n, prefix),
    members: (roomId, ids) => membersVia(db, roomId, ids),
    messages: async (roomId, count, authors, samples, progress) =>
      bulkSqlite(raw, roomId, count, authors, samples, progress),
    close: () => db.destroy(),
  };
}

function bulkSqlite(
  raw: DatabaseSync,
  roomId: string,
  count: number,
  authors: string[],
  samples: number,
  progress: (n: number) => void,
): string[] {
  const ins = raw.prepare(
    "insert into chat_messages (id, room_id, seq, kind, author_id, text, in_channel, mentions, created_at) values (?, ?, ?, 'user', ?, ?, 1, ?, ?)",
  );
  // As indexMessage does: the FTS row shares the message row's rowid.
  const fts = raw.prepare("insert into chat_message_fts (rowid, folded, message_id, room_id) values (?, ?, ?, ?)");
  const wanted = sampleSeqs(count, samples);
  const anchors: string[] = [];
  const BATCH = 20_000;
  for (let start = 1; start <= count; start += BATCH) {
    raw.exec("begin immediate");
    try {
      for (let seq = start; seq < Math.min(start + BATCH, count + 1); seq++) {
        const id = uuidv7();
        const text = messageText(seq);
        const r = ins.run(id, roomId, seq, authors[seq % authors.length]!, text, MENTIONS_NONE, createdAt(seq, count));
        fts.run(r.lastInsertRowid as SQLInputValue, foldText(text), id, roomId);
        if (wanted.has(seq)) anchors.push(id);
      }
      raw.exec("commit");
    } catch (e) {
      raw.exec("rollback");
      throw e;
    }
    progress(Math.min(start + BATCH - 1, count));
  }
  raw
    .prepare("update chat_rooms set last_seq = ?, last_message_at = ? where id = ?")
    .run(count, createdAt(count, count), roomId);
  return anchors;
}

export async function openPostgresSeed(url: string, schema: string): Promise<SeedDb> {
  const pool = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` });
  const db = new Kysely<KernelTables>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: "postgres",
    users: (n, prefix) => usersVia(db, n, prefix),
    members: (roomId, ids) => membersVia(db, roomId, ids),
    messages: (roomId, count, authors, samples, progress) =>
      bulkPostgres(pool, roomId, count, authors, samples, progress),
    close: () => db.destroy(),
  };
}

async function bulkPostgres(
  pool: pg.Pool,
  roomId: string,
  count: number,
  authors: string[],
  samples: number,
  progress: (n: number) => void,
): Promise<string[]> {
  const wanted = sampleSeqs(count, samples);
  const anchors: string[] = [];
  const BATCH = 10_000;
  const client = await pool.connect();
  try {
    for (let start = 1; start <= count; start += BATCH) {
      const ids: string[] = [];
      const seqs: number[] = [];
      const authorIds: string[] = [];
      const texts: string[] = [];
      const folded: string[] = [];
      const times: string[] = [];
      for (let seq = start; seq < Math.min(start + BATCH, count + 1); seq++) {
        const id = uuidv7();
        const text = messageText(seq);
        ids.push(id);
        seqs.push(seq);
        authorIds.push(authors[seq % authors.length]!);
        texts.push(text);
        folded.push(foldText(text));
        times.push(createdAt(seq, count));
        if (wanted.has(seq)) anchors.push(id);
      }
      // One statement per table and batch (arrays unnested server-side), in one transaction as a send's rows are.
      await client.query("begin");
      await client.query(
        `insert into chat_messages (id, room_id, seq, kind, author_id, text, in_channel, mentions, created_at)
         select id, $2, seq, 'user', author_id, text, 1, $7, created_at from unnest($1::text[], $3::bigint[], $4::text[], $5::text[], $6::text[]) as t(id, seq, author_id, text, created_at)`,
        [ids, roomId, seqs, authorIds, texts, times, MENTIONS_NONE],
      );
      // As searchRow: the folded text (its tsvector is generated) with the time and author the search filters on.
      await client.query(
        `insert into chat_message_search (message_id, room_id, folded, created_at, author_id)
         select id, $2, folded, created_at, author_id from unnest($1::text[], $3::text[], $4::text[], $5::text[]) as t(id, folded, created_at, author_id)`,
        [ids, roomId, folded, times, authorIds],
      );
      await client.query("commit");
      progress(Math.min(start + BATCH - 1, count));
    }
    await client.query("update chat_rooms set last_seq = $1, last_message_at = $2 where id = $3", [
      count,
      createdAt(count, count),
      roomId,
    ]);
    // What autovacuum does shortly after such a load; without it the planner would guess the row counts.
    await client.query("analyze chat_messages");
    await client.query("analyze chat_message_search");
  } finally {
    client.release();
  }
  return anchors;
}
