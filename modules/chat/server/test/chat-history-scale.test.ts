import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import type { ChatMessage, Room } from "../../shared/schemas.ts";
import { createRoom, history, user, type ChatUser } from "./chat-fixtures.ts";

/**
 * A room with a long history: pages are range scans on (room, in_channel,
 * seq), so their cost does not grow with the history. 100,000 rows keep the
 * suite fast; bench/ measures 1,000,000.
 */
const N = 100_000;
const idOf = (i: number) => `00000000-0000-7000-8000-${String(i).padStart(12, "0")}`;

let s: TestServer;
let alice: ChatUser;
let room: Room;

beforeAll(async () => {
  s = await startTestServer();
  alice = await user(s);
  room = await createRoom(alice.client, { type: "private" });
  const db = s.kernel.db;
  const cols = sql`(id, room_id, seq, kind, author_id, client_key, text, in_channel, also_in_channel, mentions, mentions_all, has_link, has_file, reply_count, created_at)`;
  const at = "2020-01-01T00:00:00.000Z";
  if (s.kernel.database.kind === "sqlite") {
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${N})
      insert into chat_messages ${cols}
      select '00000000-0000-7000-8000-' || printf('%012d', i), ${room.id}, i, 'user', ${alice.id}, 'seed-' || i, 'message ' || i, 1, 0, '{}', 0, 0, 0, 0, ${at} from n`.execute(
      db,
    );
  } else {
    await sql`insert into chat_messages ${cols}
      select '00000000-0000-7000-8000-' || lpad(i::text, 12, '0'), ${room.id}, i, 'user', ${alice.id}, 'seed-' || i, 'message ' || i, 1, 0, '{}', 0, 0, 0, 0, ${at}
      from generate_series(1, ${N}) i`.execute(db);
    await sql`analyze chat_messages`.execute(db);
  }
  await sql`update chat_rooms set last_seq = ${N} where id = ${room.id}`.execute(db);
  await sql`update chat_members set last_read_seq = 0 where room_id = ${room.id}`.execute(db);
}, 120_000);
afterAll(() => s?.close());

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t };
}

describe("history at scale", () => {
  it("loads the latest page, a deep page and a jump-to-message page quickly", async () => {
    await history(alice.client, room.id, "?limit=50");
    const latest = await timed(() => history(alice.client, room.id, "?limit=50"));
    expect(latest.value.items.at(-1)!.text).toBe(`message ${N}`);
    const deep = await timed(() => history(alice.client, room.id, `?limit=50&before=${idOf(1_000)}`));
    expect(deep.value.items.map((m: ChatMessage) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 950 + i));
    const around = await timed(() => history(alice.client, room.id, `?limit=50&around=${idOf(10)}`));
    expect(around.value.items[0]!.seq).toBe(1);
    expect(around.value.hasMoreBefore).toBe(false);
    // Generous bounds for a shared CI machine; a full scan of 100,000 rows would blow them.
    for (const t of [latest, deep, around]) expect(t.ms).toBeLessThan(500);
  });

  it("counts unread up to a cap instead of scanning the whole history", async () => {
    const r = await timed(() => alice.client.get<Room>(`/api/chat/rooms/${room.id}`));
    expect(r.value.body.membership).toMatchObject({ unread: 0, mentions: 0 });
    // Alice's own messages are never unread for her; another member sees the capped count.
    const bob = await user(s);
    await alice.client.post(`/api/chat/rooms/${room.id}/members`, { userIds: [bob.id] });
    await sql`update chat_members set last_read_seq = 0 where user_id = ${bob.id}`.execute(s.kernel.db);
    const b = await timed(() => bob.client.get<Room>(`/api/chat/rooms/${room.id}`));
    expect(b.value.body.membership?.unread).toBe(999);
    expect(b.ms).toBeLessThan(500);
  });

  it("plans the history page as an index range scan", async () => {
    const q = sql`select * from chat_messages where room_id = ${room.id} and in_channel = 1 and seq < 5000 order by seq desc limit 51`;
    if (s.kernel.database.kind === "sqlite") {
      const plan = await sql<{ detail: string }>`explain query plan ${q}`.execute(s.kernel.db);
      const text = plan.rows.map((r) => r.detail).join("\n");
      expect(text).toMatch(/USING INDEX chat_messages_channel/);
      expect(text).not.toMatch(/TEMP B-TREE/);
    } else {
      const plan = await sql<{ "QUERY PLAN": string }>`explain ${q}`.execute(s.kernel.db);
      const text = plan.rows.map((r) => r["QUERY PLAN"]).join("\n");
      expect(text).toMatch(/Index Scan Backward using chat_messages_(channel|room_seq)/);
      expect(text).not.toMatch(/Seq Scan|Sort/);
    }
  });
});
