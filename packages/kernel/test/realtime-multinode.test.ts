import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloseCodes, type PresenceStatus } from "@ensemble/protocol";
import type { RealtimeClient } from "@ensemble/client";
import {
  dropSchema,
  newSchemaName,
  realtimeClient,
  startTestServer,
  testDatabaseUrl,
  testRedisUrl,
  waitFor,
  spawnServerProcess,
  TestClient,
  type ServerProcess,
} from "@ensemble/testkit";

type Node = ServerProcess;
const startNode = spawnServerProcess;

describe("two nodes on one PostgreSQL and one Redis", () => {
  const schema = newSchemaName();
  const prefix = `t-${schema}:`;
  const dirs: string[] = [];
  const clients: RealtimeClient[] = [];
  let a: Node;
  let b: Node;
  let user: { id: string; username: string; password: string };
  let viewer: { id: string; username: string; password: string };

  const env = async (): Promise<Record<string, string>> => {
    const dir = await mkdtemp(path.join(tmpdir(), "ensemble-node-"));
    dirs.push(dir);
    return {
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dir,
      DATABASE_URL: testDatabaseUrl(),
      DATABASE_SCHEMA: schema,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      LOG_LEVEL: "info",
      ARGON2_MEMORY_KIB: "1024",
      ARGON2_PASSES: "1",
      WS_HEARTBEAT_MS: "1000",
    };
  };

  beforeAll(async () => {
    // A short-lived in-process node migrates the shared schema and creates the users.
    const setup = await startTestServer({
      schema,
      env: {
        DATABASE_URL: testDatabaseUrl(),
        DATABASE_SCHEMA: schema,
        REDIS_URL: testRedisUrl(),
        REDIS_PREFIX: prefix,
      },
    });
    user = await setup.createUser();
    viewer = await setup.createUser();
    await setup.close();
    [a, b] = await Promise.all([startNode(await env()), startNode(await env())]);
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    for (const n of [a, b]) if (n && n.proc.exitCode === null && n.proc.signalCode === null) n.proc.kill("SIGKILL");
    await Promise.all([a?.exited, b?.exited]);
    await dropSchema(schema);
    const redis = new Redis(testRedisUrl());
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("sign-out, a role change and presenceOf reach another node's sockets at once", { timeout: 60_000 }, async () => {
    // A third node in this process (heartbeat far away, so only the bus can act in time); the requests go to node A.
    const c = await startTestServer({
      schema,
      env: {
        DATABASE_URL: testDatabaseUrl(),
        DATABASE_SCHEMA: schema,
        REDIS_URL: testRedisUrl(),
        REDIS_PREFIX: prefix,
        WS_HEARTBEAT_MS: "600000",
      },
    });
    try {
      const admin = await c.createUser({ role: "admin" });
      const member = await c.createUser();
      const signInOnA = async (u: { username: string; password: string }) => {
        const t = new TestClient(a.url);
        expect((await t.post("/api/auth/sign-in", { login: u.username, password: u.password })).status).toBe(200);
        return t;
      };
      const [adminOnA, first, second] = await Promise.all([signInOnA(admin), signInOnA(member), signInOnA(member)]);
      const s1 = realtimeClient(c.url, first);
      const s2 = realtimeClient(c.url, second);
      const onA = realtimeClient(a.url, second);
      clients.push(s1, s2, onA);
      const closes1: number[] = [];
      const closes2: number[] = [];
      s1.on("close", (e) => closes1.push(e.code));
      s2.on("close", (e) => closes2.push(e.code));
      const refused: string[] = [];
      await Promise.all([
        s1.opened(),
        onA.opened(),
        s2.subscribe(`presence:${viewer.id}`, { onEvent: () => {}, onRefused: (r) => refused.push(r) }).ready,
      ]);

      // Presence of sockets on node C and on node A, read from node C.
      onA.setPresence("dnd");
      await waitFor(
        async () => (await c.kernel.realtime.presenceOf([member.id, admin.id])).get(member.id) === "dnd",
        "dnd set on A, read on C",
      );
      expect((await c.kernel.realtime.presenceOf([admin.id])).get(admin.id)).toBe("offline");

      // Demoted through A: C's socket loses the presence topic a guest may not read.
      expect((await adminOnA.patch(`/api/admin/users/${member.id}`, { role: "guest" })).status).toBe(200);
      await waitFor(() => refused.includes("revoked"), "subscription revoked on C");

      // Signed out through A: only that session's socket on C closes.
      expect((await first.post("/api/auth/sign-out")).status).toBe(204);
      await waitFor(() => closes1.includes(CloseCodes.sessionEnded.code), "first session's socket on C closed");
      await s2.subscribe(`user:${member.id}`, { onEvent: () => {} }).ready;
      expect(closes2).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it(
    "fans events and presence across nodes; clients of a killed node resume on the other with no gap and no duplicate",
    { timeout: 60_000 },
    async () => {
      const signIn = async (u: { username: string; password: string }) => {
        const c = new TestClient(a.url);
        expect((await c.post("/api/auth/sign-in", { login: u.username, password: u.password })).status).toBe(200);
        return c;
      };
      const onA = await signIn(user);
      const onB = new TestClient(b.url);
      for (const [k, v] of onA.cookies) onB.cookies.set(k, v);

      // The "load balancer" of this test: a client of B goes to A once B is gone.
      let targetForB = b.url;
      const viaBalancer = (url: string) => url.replace(new URL(b.url).host, new URL(targetForB).host);
      const track = (c: RealtimeClient) => (clients.push(c), c);
      const tabA = track(realtimeClient(a.url, onA));
      const tabB = track(
        realtimeClient(b.url, onA, {
          createSocket: (u) =>
            new WebSocket(viaBalancer(u), {
              headers: { cookie: [...onA.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
            } as unknown as string[]),
        }),
      );
      const got = { a: [] as number[], b: [] as number[] };
      const subA = tabA.subscribe(`user:${user.id}`, { onEvent: (_e, seq) => got.a.push(seq) });
      const subB = tabB.subscribe(`user:${user.id}`, { onEvent: (_e, seq) => got.b.push(seq) });
      await Promise.all([subA.ready, subB.ready]);

      // 1. An event caused through B reaches the client on A (and on B).
      for (let i = 0; i < 5; i++)
        expect((await onB.patch("/api/me", { statusMessage: `via B ${i}` })).status).toBe(200);
      await waitFor(() => got.a.length === 5 && got.b.length === 5, "5 events on both nodes' clients");

      // 2. Presence set on B is visible on A.
      const watcher = track(realtimeClient(a.url, await signIn(viewer)));
      const seen: PresenceStatus[] = [];
      watcher.on("presence", (p) => p.userId === user.id && seen.push(p.status));
      await watcher.subscribe(`presence:${user.id}`, { onEvent: () => {} }).ready;
      await waitFor(() => seen.at(-1) === "online", "user online");
      tabB.setPresence("dnd");
      await waitFor(() => seen.at(-1) === "dnd", "dnd set on B, seen on A");

      // 3. B dies without warning; events keep coming through A; B's client moves to A and resumes.
      b.proc.kill("SIGKILL");
      await b.exited;
      targetForB = a.url;
      for (let i = 0; i < 100; i++)
        expect((await onA.patch("/api/me", { statusMessage: `via A ${i}` })).status).toBe(200);
      const all = Array.from({ length: 105 }, (_, i) => i + 1);
      await waitFor(() => got.a.length >= 105 && got.b.length >= 105, "105 events on both clients", 30_000);
      expect(got.a).toEqual(all);
      expect(got.b).toEqual(all);
      expect(tabB.state).toBe("open");

      // 4. A graceful stop asks clients to reconnect elsewhere (4012).
      const closes: number[] = [];
      tabA.on("close", (e) => closes.push(e.code));
      a.proc.kill("SIGTERM");
      expect(await a.exited).toBe(0);
      await waitFor(() => closes.includes(CloseCodes.goingAway.code), "close 4012 on SIGTERM");
    },
  );
});
