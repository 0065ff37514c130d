import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Kysely } from "kysely";
import Fastify from "fastify";
import { defineModule, exemptFromRateLimit, route } from "@ensemble/kernel";
import { installRateLimits } from "../src/http/rate-limits.ts";
import { uuidv7 } from "@ensemble/protocol";
import { startTestServer, testRedisUrl, type TestServer } from "@ensemble/testkit";
import { kernelModules } from "./kernel-modules.ts";

type FixtureTables = { optfix_items: { id: string; owner_id: string; title: string } };
const item = z.object({ id: z.string(), title: z.string() });

/** A module with one idempotent create (a row per call) and one route with a tiny limit. */
const fixture = defineModule({
  name: "optfix",
  namespace: { urls: ["/api/optfix"], tables: ["optfix_"] },
  migrations: [
    {
      name: "20261206T2340_optfix_items",
      up: async (db: Kysely<unknown>) => {
        await db.schema
          .createTable("optfix_items")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("owner_id", "text", (c) => c.notNull())
          .addColumn("title", "text", (c) => c.notNull())
          .execute();
      },
    },
  ],
  routes(app, k) {
    const db = k.db.withTables<FixtureTables>();
    route(app, {
      method: "POST",
      url: "/api/optfix/items",
      summary: "Create an item",
      auth: "user",
      idempotent: true,
      body: z.object({ title: z.string().min(1), clientKey: z.string().optional() }),
      response: item,
      status: 201,
      handler: async ({ actor, body }) => {
        if (body.title === "fail") throw new Error("the handler failed");
        const row = { id: uuidv7(), owner_id: actor.id, title: body.title };
        await db.insertInto("optfix_items").values(row).execute();
        return row;
      },
    });
    route(app, {
      method: "GET",
      url: "/api/optfix/scarce",
      summary: "A route with a limit of two a minute",
      auth: "user",
      rateLimit: { max: 2, timeWindow: "1 minute" },
      response: z.object({ ok: z.boolean() }),
      handler: async () => ({ ok: true }),
    });
  },
});

const count = async (s: TestServer, ownerId: string) =>
  (
    await s.kernel.db
      .withTables<FixtureTables>()
      .selectFrom("optfix_items")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("owner_id", "=", ownerId)
      .executeTakeFirstOrThrow()
  ).n;

describe("route options: idempotency and rate limits", () => {
  let s: TestServer;
  beforeAll(async () => {
    // On Redis, as a deployment of several nodes counts (the in-memory store is the lockout tests' and others').
    s = await startTestServer({
      modules: [...kernelModules, fixture],
      env: { REDIS_URL: testRedisUrl(), REDIS_PREFIX: `route-options-${randomBytes(4).toString("hex")}:` },
    });
  });
  afterAll(async () => s?.close());

  it("answers a retry with the first answer and creates one row, by header or body key, even sent at once", async () => {
    const { client, user } = await s.signedIn();
    const headers = { "idempotency-key": "create-1" };
    const first = await client.post<{ id: string }>("/api/optfix/items", { title: "a" }, { headers });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const again = await client.post<{ id: string }>("/api/optfix/items", { title: "a" }, { headers });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);

    const copies = await Promise.all(
      Array.from({ length: 5 }, () =>
        client.post<{ id: string }>("/api/optfix/items", { title: "b", clientKey: "ck-2" }),
      ),
    );
    expect(copies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(copies.map((r) => r.body.id)).size).toBe(1);
    expect(copies.filter((r) => r.headers.get("idempotent-replayed") === null)).toHaveLength(1);
    expect(await count(s, user.id)).toBe(2);

    // Without a key nothing is remembered: two calls, two rows.
    await client.post("/api/optfix/items", { title: "c" });
    await client.post("/api/optfix/items", { title: "c" });
    expect(await count(s, user.id)).toBe(4);
  });

  it("refuses the same key with another body (422) and changes nothing; keys are per user", async () => {
    const { client, user } = await s.signedIn();
    const headers = { "idempotency-key": "k-other" };
    expect((await client.post("/api/optfix/items", { title: "x" }, { headers })).status).toBe(201);
    const other = await client.post<{ code: string }>("/api/optfix/items", { title: "y" }, { headers });
    expect(other.status).toBe(422);
    expect(other.headers.get("content-type")).toContain("application/problem+json");
    expect(other.body.code).toBe("idempotency_key_reused");
    expect(await count(s, user.id)).toBe(1);
    // Someone else's request with the same key is theirs.
    const bob = await s.signedIn();
    expect((await bob.client.post("/api/optfix/items", { title: "y" }, { headers })).status).toBe(201);
    expect(await count(s, bob.user.id)).toBe(1);
  });

  it("forgets the key of a request that failed, so its retry runs", async () => {
    const { client, user } = await s.signedIn();
    const headers = { "idempotency-key": "k-fail" };
    expect((await client.post("/api/optfix/items", { title: "fail" }, { headers })).status).toBe(500);
    expect((await client.post("/api/optfix/items", { title: "fail" }, { headers })).status).toBe(500);
    const rows = await s.kernel.db
      .withTables<{ idempotency_keys: { user_id: string } }>()
      .selectFrom("idempotency_keys")
      .select("user_id")
      .where("user_id", "=", user.id)
      .execute();
    expect(rows).toEqual([]);
  });

  it("answers 429 problem+json with Retry-After past a route's limit, counting each credential apart", async () => {
    const a = await s.signedIn();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await a.client.get("/api/optfix/scarce")).status);
    expect(statuses).toEqual([200, 200, 429]);
    const r = await a.client.get<{ code: string; status: number }>("/api/optfix/scarce");
    expect(r.status).toBe(429);
    expect(r.headers.get("content-type")).toContain("application/problem+json");
    expect(r.body).toMatchObject({ code: "rate_limited", status: 429 });
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another person behind the same address has their own count.
    const b = await s.signedIn();
    expect((await b.client.get("/api/optfix/scarce")).status).toBe(200);
    // Counted in Redis, so that every node of the deployment shares the count.
    const keys = await s.kernel.redis!.keys(`${s.config.REDIS_PREFIX}rl:GET/api/optfix/scarce-*`);
    expect(keys).toHaveLength(2);
  });

  it("refuses an exemption without a reason when the route is registered", async () => {
    const app = Fastify();
    await installRateLimits(app, s.kernel);
    const register = () => app.get("/x", { config: exemptFromRateLimit(" ") }, async () => ({}));
    expect(register).toThrow(/needs a reason/);
    await app.close();
  });
});
