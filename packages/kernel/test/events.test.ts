import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineEventHandler, type DomainEvent } from "@ensemble/kernel";
import {
  dropSchema,
  newSchemaName,
  realtimeClient,
  startTestServer,
  testDbKind,
  testRedisUrl,
  waitFor,
  type TestServer,
} from "@ensemble/testkit";
import { Redis } from "ioredis";
import { DbLeases, JobScheduler, RedisLeases } from "../src/events/jobs.ts";
import type { EventTables } from "../src/events/event-tables.ts";
import { fixtureModules } from "./realtime-fixtures.ts";

const texts = (e: DomainEvent[]) => e.map((x) => (x.payload as { text: string }).text);

describe("event dispatcher", () => {
  let s: TestServer;
  const good: DomainEvent[] = [];
  const flaky: DomainEvent[] = [];
  let flakyWorks = false;
  let flakyCalls = 0;
  beforeAll(async () => {
    s = await startTestServer({
      env: { EVENT_RETRY_BASE_MS: "20" },
      modules: fixtureModules({
        handlers: [
          defineEventHandler({ name: "test.good", events: ["fixture.*"], handle: async (e) => void good.push(e) }),
          defineEventHandler({
            name: "test.flaky",
            events: ["fixture.post.created"],
            handle: async (e) => {
              flakyCalls += 1;
              if (!flakyWorks) throw new Error("search index unavailable");
              flaky.push(e);
            },
          }),
        ],
      }),
    });
  });
  afterAll(async () => s.close());

  it("a failing handler does not block the others and is retried with backoff until it succeeds", async () => {
    const { client } = await s.signedIn();
    const sent = ["one", "two", "three", "four", "five"];
    expect((await client.post("/api/fixture/rooms/retry/posts", { texts: sent })).status).toBe(200);
    await waitFor(() => good.length === 5, "the healthy handler");
    expect(texts(good)).toEqual(sent);
    const failures = () =>
      s.kernel.db
        .withTables<{ event_failures: { handler: string; attempts: number } }>()
        .selectFrom("event_failures")
        .selectAll()
        .execute();
    await waitFor(
      async () => (await failures()).filter((f) => f.handler === "test.flaky" && f.attempts >= 2).length === 5,
      "retries of the failing handler",
    );
    expect(flaky).toEqual([]);
    flakyWorks = true;
    await waitFor(() => flaky.length === 5, "the flaky handler once it works");
    expect(new Set(texts(flaky))).toEqual(new Set(sent));
    await waitFor(async () => (await failures()).length === 0, "failures cleared");
    expect(flakyCalls).toBeGreaterThanOrEqual(15);
    expect(good).toHaveLength(5);
  });

  it("concurrent writers get gapless, unique per-topic sequence numbers", async () => {
    const { client, user } = await s.signedIn();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => client.patch("/api/me", { statusMessage: `c${i}` })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const rows = await s.kernel.db
      .withTables<{ topic_events: { topic: string; seq: number } }>()
      .selectFrom("topic_events")
      .select("seq")
      .where("topic", "=", `user:${user.id}`)
      .orderBy("seq")
      .execute();
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it("runs a scheduled job once per cluster: the lease goes to one node (database and Redis leases)", async () => {
    const prefix = `test-${Math.random().toString(36).slice(2)}:`;
    const redis = new Redis(testRedisUrl());
    try {
      for (const store of [new DbLeases(s.kernel.db.withTables<EventTables>()), new RedisLeases(redis, prefix)]) {
        const runs: string[] = [];
        const nodes = ["node-a", "node-b"].map((id) => {
          const j = new JobScheduler(store, id, s.kernel.log);
          j.every("test.cleanup", 60_000, async () => void runs.push(id));
          return j;
        });
        const answers = await Promise.all(nodes.map((n) => n.runNow("test.cleanup")));
        expect(answers.filter(Boolean)).toHaveLength(1);
        expect(runs).toHaveLength(1);
        const loser = nodes[answers.indexOf(false)]!;
        expect(await loser.runNow("test.cleanup")).toBe(false);
        await store.release("job:test.cleanup", runs[0]!);
        expect(await loser.runNow("test.cleanup")).toBe(true);
      }
    } finally {
      redis.disconnect();
    }
  });

  it("a resume older than the retained log is told to refetch", async () => {
    const { client, user } = await s.signedIn();
    for (let i = 0; i < 3; i++) await client.patch("/api/me", { statusMessage: `r${i}` });
    await s.kernel.db
      .withTables<{ topic_events: { topic: string; seq: number } }>()
      .deleteFrom("topic_events")
      .where("topic", "=", `user:${user.id}`)
      .where("seq", "=", 1)
      .execute();
    const c = realtimeClient(s.url, client);
    const resync: number[] = [];
    const got: number[] = [];
    const sub = c.subscribe(
      `user:${user.id}`,
      { onEvent: (_e, seq) => got.push(seq), onResync: (seq) => resync.push(seq) },
      { since: 0 },
    );
    await sub.ready;
    expect(resync).toEqual([3]);
    expect(got).toEqual([]);
    await client.patch("/api/me", { statusMessage: "after" });
    await waitFor(() => got.length === 1, "the next live event");
    expect(got).toEqual([4]);
    c.close();
  });

  it("prunes events beyond the retention window; a resume from before it is told to refetch", async () => {
    const { client, user } = await s.signedIn();
    for (let i = 0; i < 3; i++) await client.patch("/api/me", { statusMessage: `old${i}` });
    const db = s.kernel.db.withTables<EventTables>();
    const mine = db.selectFrom("topic_events").select("event_id").where("topic", "=", `user:${user.id}`);
    await waitFor(
      async () =>
        (
          await db
            .selectFrom("events")
            .select("id")
            .where("id", "in", mine)
            .where("dispatched_at", "is", null)
            .execute()
        ).length === 0,
      "dispatch",
    );
    const longAgo = "2000-01-01T00:00:00.000Z";
    await db.updateTable("events").set({ created_at: longAgo }).where("id", "in", mine).execute();
    await db.updateTable("topic_events").set({ created_at: longAgo }).where("topic", "=", `user:${user.id}`).execute();
    await s.kernel.events.prune();
    expect(await mine.execute()).toEqual([]);
    const c = realtimeClient(s.url, client);
    const resync: number[] = [];
    await c.subscribe(`user:${user.id}`, { onEvent: () => {}, onResync: (seq) => resync.push(seq) }, { since: 1 })
      .ready;
    expect(resync).toEqual([3]);
    c.close();
  });
});

describe("crash between commit and dispatch", () => {
  it("events committed by a node that never dispatched them are delivered after restart", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "ensemble-crash-"));
    const schema = testDbKind() === "postgres" ? newSchemaName() : undefined;
    const shared = { dataDir, ...(schema ? { schema } : {}) };
    try {
      const crashed = await startTestServer({ ...shared, env: { EVENT_DISPATCH: "false" }, modules: fixtureModules() });
      const { client } = await crashed.signedIn();
      const sent = Array.from({ length: 10 }, (_, i) => `lost?${i}`);
      await client.post("/api/fixture/rooms/crash/posts", { texts: sent });
      await crashed.close();

      const seen: DomainEvent[] = [];
      const restarted = await startTestServer({
        ...shared,
        modules: fixtureModules({
          handlers: [defineEventHandler({ name: "test.recorder", handle: async (e) => void seen.push(e) })],
        }),
      });
      try {
        await waitFor(() => seen.length === 10, "delivery after restart");
        expect(texts(seen)).toEqual(sent);
      } finally {
        await restarted.close();
      }
    } finally {
      if (schema) await dropSchema(schema);
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
