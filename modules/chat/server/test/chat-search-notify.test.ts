import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realtimeClient, startTestServer, waitFor, type TestServer } from "@ensemble/testkit";
import type { ChatMessage, Room } from "../../shared/schemas.ts";
import { createRoom, openDm, send, user, type ChatUser } from "./chat-fixtures.ts";

interface Hit {
  message: ChatMessage;
  room: { id: string };
}

let s: TestServer;
let alice: ChatUser;
let bob: ChatUser;
let eve: ChatUser;
let guest: ChatUser;
let pub: Room;
let priv: Room;

beforeAll(async () => {
  s = await startTestServer();
  [alice, bob, eve, guest] = await Promise.all([user(s), user(s), user(s), user(s, "guest")]);
  pub = await createRoom(alice.client, { slug: `public-${Date.now()}` });
  priv = await createRoom(alice.client, { type: "private", slug: `prive-${Date.now()}`, memberIds: [bob.id] });
  await send(alice.client, pub.id, "Réunion de l'équipe réseau jeudi");
  await send(bob.client, priv.id, "Le budget prévisionnel confidentiel https://intra.example/budget");
  await send(alice.client, priv.id, "Compte rendu", {
    attachments: [{ title: "CR", file: { id: "f1", name: "compte-rendu.pdf", size: 10, mimeType: "application/pdf" } }],
  });
});
afterAll(() => s?.close());

const search = async (u: ChatUser, q: string) => {
  const r = await u.client.get<{ items: Hit[] }>(`/api/chat/search?q=${encodeURIComponent(q)}`);
  expect(r.status).toBe(200);
  return r.body.items.map((h) => h.message.text);
};

describe("chat search", () => {
  it("is accent- and case-insensitive with prefix matching", async () => {
    expect(await search(alice, "REUNION equi")).toEqual(["Réunion de l'équipe réseau jeudi"]);
    expect(await search(bob, "previsionn")).toHaveLength(1);
  });

  it("never shows a private group's messages to non-members, guests or admins outside it", async () => {
    expect(await search(eve, "budget")).toEqual([]);
    expect(await search(eve, "reunion")).toHaveLength(1);
    expect(await search(guest, "reunion")).toEqual([]);
    const admin = await user(s, "admin");
    expect(await search(admin, "budget")).toEqual([]);
    const global = await eve.client.get<{ items: { type: string }[] }>("/api/search?q=budget");
    expect(global.body.items.filter((i) => i.type === "chat.message")).toEqual([]);
  });

  it("applies in:, from:, has:file, has:link, before:, after: filters", async () => {
    expect(await search(bob, `in:#${priv.slug} compte`)).toEqual(["Compte rendu"]);
    expect(await search(bob, `from:@${bob.username}`)).toHaveLength(1);
    expect(await search(bob, "has:file")).toEqual(["Compte rendu"]);
    expect(await search(bob, "has:link")).toHaveLength(1);
    expect(await search(bob, "compte-rendu")).toEqual(["Compte rendu"]);
    expect(await search(bob, "before:2000-01-01 budget")).toEqual([]);
    expect(await search(bob, "after:2000-01-01 budget")).toHaveLength(1);
  });

  it("drops deleted messages and follows edits", async () => {
    const m = await send(alice.client, pub.id, "orthographe fautive");
    await alice.client.patch(`/api/chat/messages/${m.id}`, { text: "orthographe corrigée" });
    expect(await search(alice, "fautive")).toEqual([]);
    expect(await search(alice, "corrigee")).toEqual(["orthographe corrigée"]);
    await alice.client.delete(`/api/chat/messages/${m.id}`);
    expect(await search(alice, "corrigee")).toEqual([]);
  });

  it("answers in the global search through the chat provider", async () => {
    const r = await bob.client.get<{ items: { type: string; id: string; url: string }[] }>(
      "/api/search?q=budget&types=chat.message",
    );
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(1);
    expect(r.body.items[0]!.url).toContain(priv.id);
  });

  it("finds channels and the reader's private groups by name in the global search, first, never others' groups", async () => {
    const team = await createRoom(alice.client, { name: "Équipe Marketing", slug: "equipe-marketing" });
    const secret = await createRoom(alice.client, {
      type: "private",
      name: "Marketing secret",
      slug: "marketing-secret",
      memberIds: [bob.id],
    });
    await send(alice.client, team.id, "rien à voir");
    type Results = { items: { type: string; id: string; title: string; url: string }[]; groups: { type: string }[] };
    const asBob = await bob.client.get<Results>("/api/search?q=marketing");
    expect(asBob.status).toBe(200);
    expect(asBob.body.groups[0]?.type).toBe("chat.room");
    // A name that starts with the term first, then one with a word that does.
    expect(asBob.body.items.filter((i) => i.type === "chat.room").map((i) => i.title)).toEqual([
      "🔒 marketing-secret",
      "#equipe-marketing",
    ]);
    expect(asBob.body.items.find((i) => i.id === team.id)?.url).toBe(`/chat/${team.id}`);
    // Accents folded; a non-member sees the public channel only; a guest not even that.
    const asEve = await eve.client.get<Results>("/api/search?q=equipe%20MARK");
    expect(asEve.body.items.filter((i) => i.type === "chat.room").map((i) => i.id)).toEqual([team.id]);
    const asGuest = await guest.client.get<Results>("/api/search?q=marketing");
    expect(asGuest.body.items.filter((i) => i.type === "chat.room")).toEqual([]);
    // An archived channel is no longer offered.
    expect((await alice.client.post(`/api/chat/rooms/${team.id}/archive`, {})).status).toBeLessThan(300);
    const after = await bob.client.get<Results>("/api/search?q=marketing");
    expect(after.body.items.filter((i) => i.type === "chat.room").map((i) => i.id)).toEqual([secret.id]);
  });

  it("pages with a cursor", async () => {
    for (let i = 0; i < 5; i++) await send(alice.client, pub.id, `pagination ${i}`);
    const first = await alice.client.get<{ items: Hit[]; next: string }>("/api/chat/search?q=pagination&limit=3");
    expect(first.body.items.map((h) => h.message.text)).toEqual(["pagination 4", "pagination 3", "pagination 2"]);
    const second = await alice.client.get<{ items: Hit[]; next: string | null }>(
      `/api/chat/search?q=pagination&limit=3&cursor=${first.body.next}`,
    );
    expect(second.body.items.map((h) => h.message.text)).toEqual(["pagination 1", "pagination 0"]);
    expect(second.body.next).toBeNull();
  });
});

describe("chat notifications", () => {
  const notes = async (u: ChatUser) =>
    (await u.client.get<{ items: { kind: string; data: { messageId: string } }[] }>("/api/notifications")).body.items;

  it("notifies mentions, DMs and thread replies; not muted rooms for @channel; never the author", async () => {
    const room = await createRoom(alice.client, { type: "private", memberIds: [bob.id, eve.id] });
    await eve.client.patch(`/api/chat/rooms/${room.id}/preferences`, { muted: true });
    const mention = await send(alice.client, room.id, `@${bob.username} regarde`);
    await waitFor(
      async () => (await notes(bob)).some((n) => n.data.messageId === mention.id && n.kind === "chat.mention"),
      "mention notification",
    );
    const all = await send(alice.client, room.id, "@channel info", { confirmAll: true });
    await waitFor(async () => (await notes(bob)).some((n) => n.data.messageId === all.id), "channel notification");
    const dm = await openDm(eve.client, [bob.id]);
    const d = await send(eve.client, dm.id, "salut");
    await waitFor(
      async () => (await notes(bob)).some((n) => n.data.messageId === d.id && n.kind === "chat.direct"),
      "direct notification",
    );
    const reply = await send(bob.client, room.id, "réponse", { parentId: mention.id });
    await waitFor(
      async () => (await notes(alice)).some((n) => n.data.messageId === reply.id && n.kind === "chat.thread_reply"),
      "thread reply notification",
    );
    // By then the earlier intents were delivered too: the muted member got nothing for @channel, the author nothing at all.
    expect((await notes(eve)).some((n) => n.data.messageId === all.id)).toBe(false);
    expect((await notes(alice)).some((n) => [mention.id, all.id].includes(n.data.messageId))).toBe(false);
  });

  it("a mention read in its room clears its notification and the bell, live; a thread reply's stays until its thread", async () => {
    const room = await createRoom(alice.client, { type: "private", memberIds: [bob.id] });
    const other = await createRoom(alice.client, { type: "private", memberIds: [bob.id] });
    const mention = await send(alice.client, room.id, `@${bob.username} tu peux relire ?`);
    const elsewhere = await send(alice.client, other.id, `@${bob.username} et ici`);
    const mine = await send(bob.client, room.id, "mon message");
    const reply = await send(alice.client, room.id, "réponse dans le fil", { parentId: mine.id });
    const unread = async () =>
      (await bob.client.get<{ unreadCount: number }>("/api/notifications/unread-count")).body.unreadCount;
    const has = async (id: string, read: boolean) =>
      (
        await bob.client.get<{ items: { data: { messageId: string }; readAt: string | null }[] }>("/api/notifications")
      ).body.items.some((n) => n.data.messageId === id && (n.readAt !== null) === read);
    for (const id of [mention.id, elsewhere.id, reply.id])
      await waitFor(() => has(id, false), "notification delivered");
    const before = await unread();
    const rt = realtimeClient(s.url, bob.client);
    try {
      const events: { ids?: string[]; unreadCount: number }[] = [];
      const sub = rt.subscribe(`user:${bob.id}`, {
        onEvent: (e) => {
          if (e.name === "notifications.notification.read") events.push(e.payload as (typeof events)[number]);
        },
      });
      await sub.ready;
      expect((await bob.client.post(`/api/chat/rooms/${room.id}/read`, {})).status).toBe(200);
      await waitFor(() => events.length > 0, "the bell told");
      expect(events[0]).toMatchObject({ unreadCount: before - 1 });
      expect(await has(mention.id, true)).toBe(true);
      // The other room's mention and the thread reply are not read yet.
      expect(await has(elsewhere.id, false)).toBe(true);
      expect(await has(reply.id, false)).toBe(true);
      expect(await unread()).toBe(before - 1);
      // Reading again tells nobody anything new.
      expect((await bob.client.post(`/api/chat/rooms/${room.id}/read`, {})).status).toBe(200);
      expect(await unread()).toBe(before - 1);
    } finally {
      rt.close();
    }
  });

  it("@here notifies the members present (online, away; do-not-disturb in-app only), not the offline ones", async () => {
    const [online, away, busy, offline] = await Promise.all([user(s), user(s), user(s), user(s)]);
    const room = await createRoom(alice.client, {
      type: "private",
      memberIds: [online.id, away.id, busy.id, offline.id],
    });
    const sockets = [online, away, busy].map((u) => realtimeClient(s.url, u.client));
    try {
      await Promise.all(sockets.map((c) => c.opened()));
      sockets[1]!.setPresence("away");
      sockets[2]!.setPresence("dnd");
      const expected = new Map([
        [online.id, "online"],
        [away.id, "away"],
        [busy.id, "dnd"],
        [offline.id, "offline"],
      ]);
      await waitFor(async () => {
        const now = await s.kernel.realtime.presenceOf([...expected.keys()]);
        return [...expected].every(([id, status]) => now.get(id) === status);
      }, "presence of the four members");
      const here = await send(alice.client, room.id, "@here la réunion commence");
      for (const u of [online, away, busy]) {
        await waitFor(
          async () => (await notes(u)).some((n) => n.data.messageId === here.id && n.kind === "chat.mention"),
          "@here notification",
        );
      }
      // A mention by name afterwards: once it arrived, the @here intent was handled for the offline member too.
      const ping = await send(alice.client, room.id, `@${offline.username} tu as manqué la réunion`);
      await waitFor(
        async () => (await notes(offline)).some((n) => n.data.messageId === ping.id),
        "the mention by name",
      );
      expect((await notes(offline)).some((n) => n.data.messageId === here.id)).toBe(false);
      // The push decision is stored just after the notification: wait until both are decided.
      const pushState = async (id: string) =>
        (
          await s.kernel.notifications.db
            .selectFrom("notifications")
            .select("push_state")
            .where("user_id", "=", id)
            .where("source_key", "=", `chat.message:${here.id}`)
            .executeTakeFirst()
        )?.push_state;
      await waitFor(
        async () => ![await pushState(online.id), await pushState(busy.id)].includes("pending"),
        "push decisions",
      );
      expect(await pushState(busy.id)).toBe("dnd");
      expect(await pushState(online.id)).not.toBe("dnd");
    } finally {
      for (const c of sockets) c.close();
    }
  });
});
