import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RealtimeClient } from "@ensemble/client";
import type { WireEvent } from "@ensemble/protocol";
import { realtimeClient, startTestServer, waitFor, type TestServer } from "@ensemble/testkit";
import { roomTopic } from "../../shared/resources.ts";
import { createRoom, invite, send, user, type ChatUser } from "./chat-fixtures.ts";

// What a delete, an edit or a retention purge removes must not come back through the realtime catch-up.
let s: TestServer;
let alice: ChatUser;
let bob: ChatUser;
let eve: ChatUser;
const open: RealtimeClient[] = [];

beforeAll(async () => {
  s = await startTestServer();
  [alice, bob, eve] = await Promise.all([user(s), user(s), user(s)]);
});
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});
afterAll(() => s?.close());

/** Subscribes from `since` and answers everything received once the server settled the subscription. */
async function catchUp(as: ChatUser, topic: string, since: number) {
  const c = realtimeClient(s.url, as.client);
  open.push(c);
  const got: { seq: number; event: WireEvent }[] = [];
  let resync = false;
  let refused = "";
  const sub = c.subscribe(
    topic,
    {
      onEvent: (event, seq) => got.push({ seq, event }),
      onResync: () => (resync = true),
      onRefused: (r) => (refused = r),
    },
    { since },
  );
  await Promise.race([sub.ready, waitFor(() => resync || refused !== "", "resync or refusal")]);
  return { got, resync, refused, text: JSON.stringify(got) };
}

const eventsDb = () => s.kernel.db.withTables<{ events: { id: string; payload: string; created_at: string } }>();

async function topicSeq(topic: string): Promise<number> {
  const r = await s.kernel.db
    .withTables<{ topic_seqs: { topic: string; seq: number } }>()
    .selectFrom("topic_seqs")
    .select("seq")
    .where("topic", "=", topic)
    .executeTakeFirst();
  return Number(r?.seq ?? 0);
}

async function eventLogHolds(text: string): Promise<boolean> {
  const rows = await eventsDb().selectFrom("events").select("payload").where("payload", "like", `%${text}%`).execute();
  return rows.length > 0;
}

describe("deleted and edited text", () => {
  it("never reaches a late joiner, an earlier member or the event log after a delete or an edit", async () => {
    const room = await createRoom(alice.client, { type: "private", memberIds: [bob.id] });
    const bobJoined = await topicSeq(roomTopic(room.id));
    const kept = await send(alice.client, room.id, "texte d'origine secret-edit-1");
    const gone = await send(alice.client, room.id, `@${bob.username} secret-delete-1 à effacer`);
    await waitFor(async () => {
      const n = await bob.client.get<{ items: { body: { text: string } | null }[] }>("/api/notifications");
      return n.body.items.some((i) => i.body?.text.includes("secret-delete-1"));
    }, "bob is notified of the mention");
    expect((await alice.client.patch(`/api/chat/messages/${kept.id}`, { text: "version corrigée" })).status).toBe(200);
    expect((await alice.client.delete(`/api/chat/messages/${gone.id}`)).status).toBe(204);
    await invite(alice.client, room.id, [eve.id]);

    const late = await catchUp(eve, roomTopic(room.id), 0);
    expect(late.refused).toBe("");
    expect(late.resync).toBe(true);
    expect(late.text).not.toMatch(/secret-/);

    // A member since before sees the history as it is now: the edit's new text, a tombstone.
    const earlier = await catchUp(bob, roomTopic(room.id), bobJoined);
    expect(earlier.resync).toBe(false);
    expect(earlier.got.length).toBeGreaterThan(0);
    expect(earlier.text).toContain("version corrigée");
    expect(earlier.text).not.toMatch(/secret-/);
    const created = earlier.got.find(
      (e) =>
        e.event.name === "chat.message.created" &&
        (e.event.payload as { message: { id: string } }).message.id === gone.id,
    );
    expect(created?.event.payload).toMatchObject({ message: { text: "", deletedAt: expect.any(String) } });

    const feed = await catchUp(bob, `user:${bob.id}`, 0);
    expect(feed.text).not.toMatch(/secret-/);
    expect(await eventLogHolds("secret-")).toBe(false);
    const n = await bob.client.get<{ items: { body: unknown }[] }>("/api/notifications");
    expect(JSON.stringify(n.body)).not.toMatch(/secret-/);
    const found = await alice.client.get<{ items: unknown[] }>("/api/chat/search?q=secret");
    expect(found.body.items).toEqual([]);
  });

  it("a reader of a public channel who is not a member is replayed nothing from before", async () => {
    const room = await createRoom(alice.client, { type: "channel" });
    const m = await send(alice.client, room.id, "public secret-delete-2");
    expect((await alice.client.delete(`/api/chat/messages/${m.id}`)).status).toBe(204);
    await send(alice.client, room.id, "encore un");
    const outsider = await catchUp(eve, roomTopic(room.id), 0);
    expect(outsider.refused).toBe("");
    expect(outsider.resync).toBe(true);
    expect(outsider.got).toEqual([]);
    // Resuming from where one stands still works for a member.
    const member = await catchUp(alice, roomTopic(room.id), 2);
    expect(member.resync).toBe(false);
    expect(member.got.length).toBeGreaterThan(0);
    expect(member.text).not.toMatch(/secret-/);
  });

  it("a retention purge leaves no text in the event log or the search index", async () => {
    const admin = await user(s, "admin");
    const room = await createRoom(alice.client, { type: "channel" });
    const old = await send(alice.client, room.id, "ancien secret-purge-3");
    await alice.client.patch(`/api/chat/messages/${old.id}`, { text: "ancien corrigé secret-purge-4" });
    expect(await eventLogHolds("secret-purge-4")).toBe(true);
    const found = await alice.client.get<{ items: unknown[] }>("/api/chat/search?q=secret-purge-4");
    expect(found.body.items.length).toBe(1);
    const db = s.kernel.db.withTables<{ chat_messages: { id: string; created_at: string } }>();
    await db
      .updateTable("chat_messages")
      .set({ created_at: new Date(Date.now() - 10 * 86_400_000).toISOString() })
      .where("id", "=", old.id)
      .execute();
    expect((await admin.client.put(`/api/chat/rooms/${room.id}/retention`, { days: 5 })).status).toBe(200);
    const run = await admin.client.post<{ rooms: { roomId: string; deleted: number }[] }>("/api/chat/retention/run");
    expect(run.body.rooms).toContainEqual({ roomId: room.id, deleted: 1 });
    expect(await eventLogHolds("secret-purge")).toBe(false);
    const after = await alice.client.get<{ items: unknown[] }>("/api/chat/search?q=secret-purge-4");
    expect(after.body.items).toEqual([]);
    const index =
      s.kernel.database.kind === "sqlite"
        ? await s.kernel.db
            .withTables<{ chat_message_fts: { message_id: string } }>()
            .selectFrom("chat_message_fts")
            .select("message_id")
            .where("message_id", "=", old.id)
            .execute()
        : await s.kernel.db
            .withTables<{ chat_message_search: { message_id: string } }>()
            .selectFrom("chat_message_search")
            .select("message_id")
            .where("message_id", "=", old.id)
            .execute();
    expect(index).toEqual([]);
  });
});
