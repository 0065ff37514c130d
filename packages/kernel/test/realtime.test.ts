import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloseCodes, type PresenceStatus } from "@ensemble/protocol";
import { endUserSessions } from "@ensemble/kernel";
import { realtimeClient, startTestServer, waitFor, type TestServer } from "@ensemble/testkit";
import type { RealtimeClient } from "@ensemble/client";
import { fixtureModules } from "./realtime-fixtures.ts";

interface Received {
  seq: number;
  name: string;
  payload: unknown;
}

function collect(c: RealtimeClient, topic: string, since?: number) {
  const got: Received[] = [];
  const refused: string[] = [];
  const sub = c.subscribe(
    topic,
    { onEvent: (e, seq) => got.push({ seq, name: e.name, payload: e.payload }), onRefused: (r) => refused.push(r) },
    since === undefined ? {} : { since },
  );
  return { got, refused, sub };
}

describe("realtime gateway", () => {
  let s: TestServer;
  const members = new Map<string, Set<string>>();
  const clients: RealtimeClient[] = [];
  const track = (c: RealtimeClient) => (clients.push(c), c);
  beforeAll(async () => {
    s = await startTestServer({ env: { RATE_LIMIT_SIGNIN_PER_MIN: "1000" }, modules: fixtureModules({ members }) });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await s.close();
  });

  it("delivers each event once to every subscriber, in order", async () => {
    const { client, user } = await s.signedIn();
    const tabs = [track(realtimeClient(s.url, client)), track(realtimeClient(s.url, client))];
    const subs = tabs.map((t) => collect(t, `user:${user.id}`));
    await Promise.all(subs.map((x) => x.sub.ready));
    for (let i = 0; i < 20; i++) expect((await client.patch("/api/me", { statusMessage: `m${i}` })).status).toBe(200);
    await waitFor(() => subs.every((x) => x.got.length >= 20), "20 events on both tabs");
    for (const x of subs) {
      expect(x.got.map((g) => g.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(x.got.map((g) => (g.payload as { user: { statusMessage: string } }).user.statusMessage)).toEqual(
        Array.from({ length: 20 }, (_, i) => `m${i}`),
      );
      expect(x.got.every((g) => g.name === "accounts.user.updated")).toBe(true);
    }
  });

  it("tells a subscriber once when its topic is confirmed, with the sequence to read from", async () => {
    const { client } = await s.signedIn();
    await client.post("/api/fixture/rooms/confirm/posts", { texts: ["before"] });
    const c = track(realtimeClient(s.url, client));
    const readies: number[] = [];
    const got: number[] = [];
    const sub = c.subscribe("room:confirm", {
      onEvent: (_e, seq) => got.push(seq),
      onReady: (seq) => readies.push(seq),
    });
    const seq = await sub.ready;
    expect(readies).toEqual([seq]);
    expect(seq).toBeGreaterThanOrEqual(1);
    await client.post("/api/fixture/rooms/confirm/posts", { texts: ["after"] });
    await waitFor(() => got.length === 1, "the live event");
    expect(got).toEqual([seq + 1]);
    expect(readies).toEqual([seq]);
  });

  it("a client that missed 100 events receives exactly those 100 when it resumes", async () => {
    const { client, user } = await s.signedIn();
    const first = track(realtimeClient(s.url, client));
    const a = collect(first, "room:resume");
    await a.sub.ready;
    await client.post("/api/fixture/rooms/resume/posts", { texts: ["a", "b", "c"] });
    await waitFor(() => a.got.length === 3, "the first 3 events");
    const last = a.sub.lastSeq!;
    first.close();
    const texts = Array.from({ length: 100 }, (_, i) => `missed-${i}`);
    await client.post("/api/fixture/rooms/resume/posts", { texts });
    const second = track(realtimeClient(s.url, client));
    const b = collect(second, "room:resume", last);
    await b.sub.ready;
    await client.post("/api/fixture/rooms/resume/posts", { texts: ["live"] });
    await waitFor(() => b.got.length >= 101, "100 missed + 1 live event");
    expect(b.got.map((g) => g.seq)).toEqual(Array.from({ length: 101 }, (_, i) => last + 1 + i));
    expect(b.got.map((g) => (g.payload as { text: string }).text)).toEqual([...texts, "live"]);
    expect(user.id).toBeTruthy();
  });

  it("refuses another user's topic and a room the user is not in", async () => {
    const { client } = await s.signedIn();
    const other = await s.createUser();
    members.set("secret", new Set([other.id]));
    const c = track(realtimeClient(s.url, client));
    const x = collect(c, `user:${other.id}`);
    const y = collect(c, "room:secret");
    const z = collect(c, "nosuchkind:1");
    await expect(x.sub.ready).rejects.toThrow(/forbidden/);
    await expect(y.sub.ready).rejects.toThrow(/forbidden/);
    await expect(z.sub.ready).rejects.toThrow(/invalid/);
  });

  it("cuts a subscription at once when access is revoked, on every device", async () => {
    const { client, user } = await s.signedIn();
    const poster = await s.signedIn();
    members.set("team", new Set([user.id, poster.user.id]));
    const c = track(realtimeClient(s.url, client));
    const x = collect(c, "room:team");
    await x.sub.ready;
    members.get("team")!.delete(user.id);
    await s.kernel.realtime.revoke(user.id, { topic: "room:team" });
    await waitFor(() => x.refused.includes("revoked"), "the revocation");
    await poster.client.post("/api/fixture/rooms/team/posts", { texts: ["after"] });
    // A control subscriber proves the event went out; the revoked one must not have it.
    const control = track(realtimeClient(s.url, poster.client));
    const ctl = collect(control, "room:team", 0);
    await waitFor(() => ctl.got.length === 1, "the control subscriber");
    expect(x.got).toEqual([]);
  });

  it("re-checks a user's subscriptions through the policy on demand (membership removed)", async () => {
    const { client, user } = await s.signedIn();
    members.set("club", new Set([user.id]));
    const c = track(realtimeClient(s.url, client));
    const club = collect(c, "room:club");
    const own = collect(c, `user:${user.id}`);
    await Promise.all([club.sub.ready, own.sub.ready]);
    members.set("club", new Set());
    await s.kernel.realtime.reauthorize(user.id);
    await waitFor(() => club.refused.includes("revoked"), "room:club revoked");
    expect(own.refused).toEqual([]);
  });

  it("closes every socket of a user whose sessions are ended (deactivation)", async () => {
    const { client, user } = await s.signedIn();
    const c = track(realtimeClient(s.url, client));
    await c.opened();
    const closes: number[] = [];
    c.on("close", (e) => closes.push(e.code));
    expect(await endUserSessions(s.kernel, user.id)).toBe(1);
    await waitFor(() => closes.includes(CloseCodes.sessionEnded.code), "close 4003");
    expect(c.state).toBe("closed");
    expect((await client.get("/api/me")).status).toBe(401);
  });

  it("refuses unauthenticated sockets (4001) and cross-site upgrades; accepts a bot token in the query", async () => {
    const anon = track(realtimeClient(s.url));
    const closes: number[] = [];
    anon.on("close", (e) => closes.push(e.code));
    await waitFor(() => closes.includes(CloseCodes.unauthenticated.code), "close 4001");

    const { client } = await s.signedIn();
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const hijack = new WebSocket(`${s.url.replace("http", "ws")}/ws`, {
      headers: { cookie, origin: "https://evil.example" },
    } as unknown as string[]);
    const outcome = await new Promise<string>((resolve) => {
      hijack.onopen = () => resolve("open");
      hijack.onerror = () => resolve("refused");
    });
    expect(outcome).toBe("refused");

    const tok = await client.post<{ token: string }>("/api/me/tokens", { name: "bot", scopes: ["read"] });
    expect(tok.status).toBe(201);
    const bot = track(realtimeClient(s.url, undefined, { token: tok.body.token }));
    await bot.opened();
    expect(bot.userId).toBeTruthy();
    const headerBot = track(
      realtimeClient(s.url, undefined, {
        createSocket: (url) =>
          new WebSocket(url, { headers: { authorization: `Bearer ${tok.body.token}` } } as unknown as string[]),
      }),
    );
    await headerBot.opened();
    expect(headerBot.userId).toBe(bot.userId);
  });

  it("shows presence across devices and typing to the others on a topic", async () => {
    const alice = await s.signedIn();
    const bob = await s.signedIn();
    const watcher = track(realtimeClient(s.url, bob.client));
    const seen: PresenceStatus[] = [];
    watcher.on("presence", (p) => p.userId === alice.user.id && seen.push(p.status));
    await collect(watcher, `presence:${alice.user.id}`).sub.ready;
    await waitFor(() => seen.at(-1) === "offline", "alice offline");
    const phone = track(realtimeClient(s.url, alice.client));
    await waitFor(() => seen.at(-1) === "online", "alice online");
    const laptop = track(realtimeClient(s.url, alice.client));
    await laptop.opened();
    laptop.setPresence("away");
    phone.setPresence("away");
    await waitFor(() => seen.at(-1) === "away", "alice away on every device");
    laptop.setPresence("dnd");
    await waitFor(() => seen.at(-1) === "dnd", "alice do-not-disturb");
    const typing: string[] = [];
    watcher.on("typing", (t) => typing.push(`${t.topic}/${t.userId}`));
    await collect(watcher, "room:lobby").sub.ready;
    await collect(phone, "room:lobby").sub.ready;
    phone.typing("room:lobby");
    await waitFor(() => typing.includes(`room:lobby/${alice.user.id}`), "typing indicator");
    phone.close();
    laptop.close();
    await waitFor(() => seen.at(-1) === "offline", "alice offline again");
  });

  it("reports a device away after inactivity and online again on activity", async () => {
    const carol = await s.signedIn();
    const bob = await s.signedIn();
    const watcher = track(realtimeClient(s.url, bob.client));
    const seen: PresenceStatus[] = [];
    watcher.on("presence", (p) => p.userId === carol.user.id && seen.push(p.status));
    await collect(watcher, `presence:${carol.user.id}`).sub.ready;
    const tab = track(realtimeClient(s.url, carol.client, { awayAfterMs: 100 }));
    await waitFor(() => seen.at(-1) === "away", "carol away after 100 ms idle");
    tab.activity();
    await waitFor(() => seen.at(-1) === "online", "carol online again");
  });

  it("closes a connection that floods messages with 4008", async () => {
    const { client } = await s.signedIn();
    const c = track(realtimeClient(s.url, client));
    await c.opened();
    const closes: number[] = [];
    c.on("close", (e) => closes.push(e.code));
    for (let i = 0; i < 200; i++) c.typing("room:flood");
    await waitFor(() => closes.includes(CloseCodes.rateLimited.code), "close 4008");
  });
});
