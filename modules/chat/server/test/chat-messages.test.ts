import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import type { ChatMessage, Room } from "../../shared/schemas.ts";
import { clientKey, createRoom, history, send, user, type ChatUser } from "./chat-fixtures.ts";

let s: TestServer;
let alice: ChatUser;
let bob: ChatUser;
let carol: ChatUser;
let admin: ChatUser;
let room: Room;

beforeAll(async () => {
  s = await startTestServer();
  [alice, bob, carol, admin] = await Promise.all([user(s), user(s), user(s), user(s, "admin")]);
  room = await createRoom(alice.client, { type: "private", memberIds: [bob.id, carol.id] });
});
afterAll(() => s?.close());

describe("chat messages", () => {
  it("stores markdown as typed; a retried send (even concurrent) returns the same message", async () => {
    const key = clientKey();
    const text = "**gras** _it_ `code` <script>alert(1)</script>";
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        alice.client.post<ChatMessage>(`/api/chat/rooms/${room.id}/messages`, { clientKey: key, text }),
      ),
    );
    // One was run; the others got its answer again from the kernel (idempotent route).
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(results.filter((r) => r.headers.get("idempotent-replayed") === null)).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results[0]!.body.text).toBe(text);
    const h = await history(bob.client, room.id);
    expect(h.items.filter((m) => m.clientKey === key)).toHaveLength(1);
    // The same key in another room, or with another text, is refused, not a silent duplicate.
    const other = await createRoom(alice.client);
    const elsewhere = await alice.client.post<{ code: string }>(`/api/chat/rooms/${other.id}/messages`, {
      clientKey: key,
      text,
    });
    expect([elsewhere.status, elsewhere.body.code]).toEqual([422, "idempotency_key_reused"]);
    const changed = await alice.client.post(`/api/chat/rooms/${room.id}/messages`, { clientKey: key, text: "autre" });
    expect(changed.status).toBe(422);
    expect((await history(bob.client, room.id)).items.filter((m) => m.clientKey === key)).toHaveLength(1);
  });

  it("validates length, emptiness and unknown fields without storing anything", async () => {
    const before = (await history(alice.client, room.id)).items.length;
    await alice.client.patch("/api/chat/settings", {});
    expect((await admin.client.patch("/api/chat/settings", { maxMessageLength: 100 })).status).toBe(200);
    expect(
      (
        await alice.client.post(`/api/chat/rooms/${room.id}/messages`, {
          clientKey: clientKey(),
          text: "x".repeat(101),
        })
      ).status,
    ).toBe(400);
    expect((await admin.client.patch("/api/chat/settings", { maxMessageLength: 10_000 })).status).toBe(200);
    expect(
      (await alice.client.post(`/api/chat/rooms/${room.id}/messages`, { clientKey: clientKey(), text: "   " })).status,
    ).toBe(400);
    expect(
      (await alice.client.post(`/api/chat/rooms/${room.id}/messages`, { clientKey: clientKey(), text: "a", bogus: 1 }))
        .status,
    ).toBe(400);
    expect((await alice.client.post(`/api/chat/rooms/${room.id}/messages`, { text: "no key" })).status).toBe(400);
    expect((await alice.client.patch("/api/chat/settings", { readReceipts: true })).status).toBe(403);
    expect((await history(alice.client, room.id)).items.length).toBe(before);
  });

  it("parses mentions server-side and resolves #channel links", async () => {
    const ch = await createRoom(alice.client, { slug: `lien-${Date.now()}` });
    const m = await send(
      alice.client,
      room.id,
      `@${bob.username} regarde #${ch.slug} et \`@${carol.username}\` @inconnu`,
    );
    expect(m.mentions.userIds).toEqual([bob.id]);
    expect(m.mentions.roomIds).toEqual([ch.id]);
    const r = await bob.client.get<Room>(`/api/chat/rooms/${room.id}`);
    expect(r.body.membership?.mentions).toBeGreaterThanOrEqual(1);
  });

  it("@channel needs the room permission and, above the threshold, a confirmation", async () => {
    expect((await admin.client.patch("/api/chat/settings", { mentionAllConfirmThreshold: 2 })).status).toBe(200);
    const denied = await bob.client.post(`/api/chat/rooms/${room.id}/messages`, {
      clientKey: clientKey(),
      text: "@channel hello",
    });
    expect(denied.status).toBe(403);
    const unconfirmed = await alice.client.post<{ code: string }>(`/api/chat/rooms/${room.id}/messages`, {
      clientKey: clientKey(),
      text: "@all réunion",
    });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.code).toBe("mention_confirmation_required");
    const ok = await alice.client.post<ChatMessage>(`/api/chat/rooms/${room.id}/messages`, {
      clientKey: clientKey(),
      text: "@all réunion",
      confirmAll: true,
    });
    expect(ok.status).toBe(201);
    expect(ok.body.mentions.all).toBe(true);
    expect((await alice.client.patch(`/api/chat/rooms/${room.id}`, { membersCanMentionAll: true })).status).toBe(200);
    expect(
      (
        await bob.client.post(`/api/chat/rooms/${room.id}/messages`, {
          clientKey: clientKey(),
          text: "@here ?",
          confirmAll: true,
        })
      ).status,
    ).toBe(201);
    const carolView = await carol.client.get<Room>(`/api/chat/rooms/${room.id}`);
    expect(carolView.body.membership!.mentions).toBeGreaterThanOrEqual(2);
  });

  it("threads: replies, followers, also-send-to-channel, thread list and my threads", async () => {
    const root = await send(alice.client, room.id, "question ?");
    const r1 = await send(bob.client, room.id, "réponse", { parentId: root.id });
    const r2 = await send(carol.client, room.id, "aussi dans le canal", { parentId: r1.id, alsoInChannel: true });
    expect(r2.parentId).toBe(root.id);
    const t = await alice.client.get<{ root: ChatMessage; replies: ChatMessage[]; following: boolean }>(
      `/api/chat/messages/${root.id}/thread`,
    );
    expect(t.body.root.replyCount).toBe(2);
    expect(t.body.replies.map((m) => m.id)).toEqual([r1.id, r2.id]);
    expect(t.body.following).toBe(true);
    const main = (await history(alice.client, room.id)).items.map((m) => m.id);
    expect(main).toContain(r2.id);
    expect(main).not.toContain(r1.id);
    const list = await alice.client.get<{ items: ChatMessage[] }>(`/api/chat/rooms/${room.id}/threads`);
    expect(list.body.items[0]!.id).toBe(root.id);
    const mine = await bob.client.get<{ items: ChatMessage[] }>("/api/chat/threads");
    expect(mine.body.items.map((m) => m.id)).toContain(root.id);
    expect((await bob.client.delete(`/api/chat/messages/${root.id}/follow`)).status).toBe(200);
    expect(
      (await bob.client.get<{ items: ChatMessage[] }>("/api/chat/threads")).body.items.map((m) => m.id),
    ).not.toContain(root.id);
    const other = await createRoom(alice.client);
    expect(
      (
        await alice.client.post(`/api/chat/rooms/${other.id}/messages`, {
          clientKey: clientKey(),
          text: "x",
          parentId: root.id,
        })
      ).status,
    ).toBe(400);
  });

  it("reactions toggle and list who reacted", async () => {
    const m = await send(alice.client, room.id, "👍 ?");
    const on = await bob.client.post<{ reacted: boolean; count: number }>(`/api/chat/messages/${m.id}/reactions`, {
      emoji: ":thumbsup:",
    });
    expect(on.body).toMatchObject({ reacted: true, count: 1 });
    await carol.client.post(`/api/chat/messages/${m.id}/reactions`, { emoji: ":thumbsup:" });
    const who = await alice.client.get<{ items: { emoji: string; users: { id: string }[] }[] }>(
      `/api/chat/messages/${m.id}/reactions`,
    );
    expect(who.body.items[0]!.users.map((u) => u.id)).toEqual([bob.id, carol.id]);
    const off = await bob.client.post<{ reacted: boolean; count: number }>(`/api/chat/messages/${m.id}/reactions`, {
      emoji: ":thumbsup:",
    });
    expect(off.body).toMatchObject({ reacted: false, count: 1 });
    const perm = await bob.client.get<ChatMessage>(`/api/chat/messages/${m.id}`);
    expect(perm.body.reactions).toEqual([{ emoji: ":thumbsup:", count: 1, mine: false, userIds: [carol.id] }]);
  });

  it("edit keeps history and marks edited; delete leaves a tombstone; the author's window is a setting, moderators delete always", async () => {
    const m = await send(bob.client, room.id, "premiere version");
    const e = await bob.client.patch<ChatMessage>(`/api/chat/messages/${m.id}`, { text: "seconde version" });
    expect(e.body).toMatchObject({ text: "seconde version", editedAt: expect.any(String) });
    const edits = await alice.client.get<{ items: { text: string }[] }>(`/api/chat/messages/${m.id}/edits`);
    expect(edits.body.items.map((x) => x.text)).toEqual(["premiere version"]);
    expect((await alice.client.patch(`/api/chat/messages/${m.id}`, { text: "pas à moi" })).status).toBe(403);
    expect((await carol.client.delete(`/api/chat/messages/${m.id}`)).status).toBe(403);

    expect((await admin.client.patch("/api/chat/settings", { editWindowMinutes: 1 })).status).toBe(200);
    const old = await send(bob.client, room.id, "ancien");
    // Age the message past the window directly: the clock is not ours to move.
    await s.kernel.db
      .withTables<{ chat_messages: { id: string; created_at: string } }>()
      .updateTable("chat_messages")
      .set({ created_at: new Date(Date.now() - 3_600_000).toISOString() })
      .where("id", "=", old.id)
      .execute();
    expect((await bob.client.patch(`/api/chat/messages/${old.id}`, { text: "trop tard" })).status).toBe(403);
    expect((await bob.client.delete(`/api/chat/messages/${old.id}`)).status).toBe(403);
    expect((await alice.client.delete(`/api/chat/messages/${old.id}`)).status).toBe(204);
    expect((await admin.client.patch("/api/chat/settings", { editWindowMinutes: 1440 })).status).toBe(200);

    expect((await bob.client.delete(`/api/chat/messages/${m.id}`)).status).toBe(204);
    const tomb = await carol.client.get<ChatMessage>(`/api/chat/messages/${m.id}`);
    expect(tomb.body).toMatchObject({ text: "", deletedAt: expect.any(String), reactions: [] });
    expect((await bob.client.delete(`/api/chat/messages/${m.id}`)).status).toBe(403);
    expect((await alice.client.get<{ items: unknown[] }>(`/api/chat/messages/${m.id}/edits`)).body.items).toEqual([]);
  });

  it("pins, saved for later, quotes and forwards", async () => {
    const m = await send(alice.client, room.id, "à épingler");
    expect((await bob.client.put(`/api/chat/messages/${m.id}/pin`)).status).toBe(200);
    const pins = await carol.client.get<{ items: ChatMessage[] }>(`/api/chat/rooms/${room.id}/pins`);
    expect(pins.body.items.map((x) => x.id)).toContain(m.id);
    expect((await bob.client.delete(`/api/chat/messages/${m.id}/pin`)).status).toBe(200);
    expect(
      (await carol.client.get<{ items: ChatMessage[] }>(`/api/chat/rooms/${room.id}/pins`)).body.items.map((x) => x.id),
    ).not.toContain(m.id);

    expect((await bob.client.put(`/api/chat/messages/${m.id}/save`)).status).toBe(200);
    const saved = await bob.client.get<{ items: { message: ChatMessage }[] }>("/api/chat/saved");
    expect(saved.body.items.map((x) => x.message.id)).toEqual([m.id]);

    const q = await send(bob.client, room.id, "je cite", { quoteId: m.id });
    expect(q.quoteId).toBe(m.id);

    const target = await createRoom(bob.client);
    const key = clientKey();
    const f = await bob.client.post<ChatMessage>(`/api/chat/messages/${m.id}/forward`, {
      roomId: target.id,
      clientKey: key,
      text: "pour info",
    });
    expect(f.status).toBe(201);
    expect(f.body).toMatchObject({
      roomId: target.id,
      forwardedFromId: m.id,
      text: "pour info",
      meta: { forwarded: { text: "à épingler" } },
    });
    const again = await bob.client.post<ChatMessage>(`/api/chat/messages/${m.id}/forward`, {
      roomId: target.id,
      clientKey: key,
      text: "pour info",
    });
    expect(again.body.id).toBe(f.body.id);
    // Forwarding into a room one cannot post in is refused.
    const foreign = await createRoom(admin.client, { type: "private" });
    expect(
      (await bob.client.post(`/api/chat/messages/${m.id}/forward`, { roomId: foreign.id, clientKey: clientKey() }))
        .status,
    ).toBe(404);
  });

  it("paginates history before/after/around a message", async () => {
    const r = await createRoom(alice.client);
    const sent: ChatMessage[] = [];
    for (let i = 0; i < 25; i++) sent.push(await send(alice.client, r.id, `m${i}`));
    const latest = await history(alice.client, r.id, "?limit=10");
    expect(latest.items.map((m) => m.text)).toEqual(sent.slice(15).map((m) => m.text));
    expect(latest).toMatchObject({ hasMoreBefore: true, hasMoreAfter: false });
    const before = await history(alice.client, r.id, `?limit=10&before=${latest.items[0]!.id}`);
    expect(before.items.map((m) => m.text)).toEqual(sent.slice(5, 15).map((m) => m.text));
    const after = await history(alice.client, r.id, `?limit=5&after=${sent[2]!.id}`);
    expect(after.items.map((m) => m.text)).toEqual(["m3", "m4", "m5", "m6", "m7"]);
    const around = await history(alice.client, r.id, `?limit=6&around=${sent[12]!.id}`);
    expect(around.items.map((m) => m.text)).toEqual(["m10", "m11", "m12", "m13", "m14", "m15"]);
    expect(
      (await alice.client.get(`/api/chat/rooms/${r.id}/messages?before=${sent[0]!.id}&after=${sent[1]!.id}`)).status,
    ).toBe(400);
    expect((await alice.client.get(`/api/chat/rooms/${r.id}/messages?around=${room.id}`)).status).toBe(404);
  });

  it("drafts follow the user across devices; mark unread; seen-by behind the setting", async () => {
    expect((await alice.client.put(`/api/chat/rooms/${room.id}/draft`, { text: "brouillon" })).status).toBe(200);
    const d = await alice.client.get<{ text: string }>(`/api/chat/rooms/${room.id}/draft`);
    expect(d.body.text).toBe("brouillon");
    expect((await alice.client.get<{ items: unknown[] }>("/api/chat/drafts")).body.items).toHaveLength(1);
    await alice.client.put(`/api/chat/rooms/${room.id}/draft`, { text: "" });
    expect((await alice.client.get<{ text: string }>(`/api/chat/rooms/${room.id}/draft`)).body.text).toBe("");

    const a = await send(alice.client, room.id, "lu ?");
    await send(alice.client, room.id, "et ça ?");
    await bob.client.post(`/api/chat/rooms/${room.id}/read`, {});
    const unread = await bob.client.post<Room>(`/api/chat/rooms/${room.id}/unread`, { messageId: a.id });
    expect(unread.body.membership?.unread).toBe(2);
    expect((await bob.client.get(`/api/chat/messages/${a.id}/seen`)).status).toBe(403);
    expect((await admin.client.patch("/api/chat/settings", { readReceipts: true })).status).toBe(200);
    await carol.client.post(`/api/chat/rooms/${room.id}/read`, { messageId: a.id });
    const seen = await alice.client.get<{ items: { id: string }[] }>(`/api/chat/messages/${a.id}/seen`);
    expect(seen.body.items.map((u) => u.id)).toEqual([carol.id]);
  });

  it("permalink answers 404 to people who may not read the room", async () => {
    const m = await send(alice.client, room.id, "privé");
    expect((await admin.client.get(`/api/chat/messages/${m.id}`)).status).toBe(404);
    const ok = await bob.client.get<ChatMessage>(`/api/chat/messages/${m.id}`);
    expect(ok.body.roomId).toBe(room.id);
  });
});
