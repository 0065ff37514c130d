import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { Kernel } from "../kernel.ts";
import { AppError } from "../errors.ts";
import { isUniqueViolation } from "../db/unique-violation.ts";

/**
 * A client key and what its first request answered. The row is written
 * before the handler runs (status null: in progress), so two copies of one
 * request sent at once cannot both act; it gets the answer when the handler
 * succeeds and is removed when it fails, so a retry runs again. A copy that
 * arrives while the first is running waits for its answer on the same node,
 * and is told to retry (409 `idempotency_in_progress`) on another.
 */
export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  /** sha256 of method, path and body: the same key with another request is refused. */
  request_hash: string;
  status: number | null;
  /** The answer's JSON; null for 204 or while in progress. */
  response: string | null;
  created_at: string;
}
type IdempotencyTables = { idempotency_keys: IdempotencyKeysTable };

/** A key is kept a day: long enough for any client's retries, short enough to stay small. */
export const IDEMPOTENCY_TTL_MS = 86_400_000;
/** A request still in progress after this long was lost with its node: the key may be used again. */
const ABANDONED_MS = 5 * 60_000;

export async function idempotencyMigration(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("idempotency_keys")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("request_hash", "text", (c) => c.notNull())
    .addColumn("status", "integer")
    .addColumn("response", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("idempotency_keys_pk", ["user_id", "key"])
    .execute();
  await db.schema.createIndex("idempotency_keys_created").on("idempotency_keys").column("created_at").execute();
}

/** The answer a retry gets: the first request's status and body. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

/** What `route()` asks of the kernel for an idempotent route. */
export interface IdempotencyStore {
  /** Claims the key for this request, or answers what its first use answered. */
  begin(
    userId: string,
    key: string,
    req: FastifyRequest,
  ): Promise<{ claimed: true } | { claimed: false; answer: StoredAnswer }>;
  finish(userId: string, key: string, answer: StoredAnswer): Promise<void>;
  release(userId: string, key: string): Promise<void>;
}

declare module "fastify" {
  interface FastifyInstance {
    idempotency: IdempotencyStore;
  }
}

const MAX_KEY = 200;

/**
 * The client key of a request: the Idempotency-Key header, or the body's
 * `clientKey` (what the chat's composer sends with each message).
 */
export function clientKeyOf(req: FastifyRequest): string | null {
  const header = req.headers["idempotency-key"];
  const body = req.body as { clientKey?: unknown } | null | undefined;
  const key = typeof header === "string" ? header.trim() : typeof body?.clientKey === "string" ? body.clientKey : null;
  if (key === null || key === "") return null;
  if (key.length > MAX_KEY)
    throw new AppError("validation", `an idempotency key has at most ${MAX_KEY} characters`, {
      errors: [{ path: "Idempotency-Key", message: `at most ${MAX_KEY} characters` }],
    });
  return key;
}

function requestHash(req: FastifyRequest): string {
  const path = req.url.split("?")[0];
  return createHash("sha256")
    .update(`${req.method} ${path}\n${JSON.stringify(req.body ?? null)}`)
    .digest("base64url");
}

export function installIdempotency(app: FastifyInstance, kernel: Kernel): void {
  const db = kernel.db.withTables<IdempotencyTables>();
  // Requests this node is running, by user and key: a copy sent at the same time waits for the first's answer.
  const running = new Map<string, { done: Promise<void>; end: () => void }>();
  const settle = (userId: string, key: string) => {
    const id = `${userId}\n${key}`;
    running.get(id)?.end();
    running.delete(id);
  };
  const store: IdempotencyStore = {
    async begin(userId, key, req) {
      const hash = requestHash(req);
      const now = Date.now();
      const claim = () =>
        db
          .insertInto("idempotency_keys")
          .values({
            user_id: userId,
            key,
            request_hash: hash,
            status: null,
            response: null,
            created_at: new Date(now).toISOString(),
          })
          .execute();
      const id = `${userId}\n${key}`;
      // A copy already running on this node: wait for its answer, then replay it.
      const ahead = running.get(id);
      if (ahead) {
        await ahead.done;
        return store.begin(userId, key, req);
      }
      // Registered before the claim's round trip, so a copy arriving meanwhile waits here instead of
      // finding the claimed row unfinished and being told to retry (seen on PostgreSQL).
      const { promise, resolve } = Promise.withResolvers<void>();
      running.set(id, { done: promise, end: resolve });
      try {
        await claim();
        return { claimed: true };
      } catch (e) {
        settle(userId, key);
        if (!isUniqueViolation(e)) throw e;
      }
      const row = await db
        .selectFrom("idempotency_keys")
        .selectAll()
        .where("user_id", "=", userId)
        .where("key", "=", key)
        .executeTakeFirst();
      if (!row) return store.begin(userId, key, req);
      if (row.request_hash !== hash)
        throw new AppError("idempotency_key_reused", "this idempotency key was used for another request");
      if (row.status !== null)
        return {
          claimed: false,
          answer: { status: row.status, body: row.response === null ? undefined : JSON.parse(row.response) },
        };
      const first = running.get(`${userId}\n${key}`);
      if (first) {
        await first.done;
        return store.begin(userId, key, req);
      }
      if (Date.parse(row.created_at) > now - ABANDONED_MS)
        throw new AppError(
          "idempotency_in_progress",
          "the first request with this key is still in progress; retry later",
          {
            headers: { "retry-after": "1" },
          },
        );
      // Lost with a node that stopped mid-request: taken over by this one.
      await db.deleteFrom("idempotency_keys").where("user_id", "=", userId).where("key", "=", key).execute();
      return store.begin(userId, key, req);
    },
    async finish(userId, key, answer) {
      try {
        await db
          .updateTable("idempotency_keys")
          .set({ status: answer.status, response: answer.body === undefined ? null : JSON.stringify(answer.body) })
          .where("user_id", "=", userId)
          .where("key", "=", key)
          .execute();
      } finally {
        settle(userId, key);
      }
    },
    async release(userId, key) {
      try {
        await db.deleteFrom("idempotency_keys").where("user_id", "=", userId).where("key", "=", key).execute();
      } finally {
        settle(userId, key);
      }
    },
  };
  app.decorate("idempotency", store);
  kernel.jobs.every("idempotency.retention", 3_600_000, async () => {
    const cutoff = new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString();
    await db.deleteFrom("idempotency_keys").where("created_at", "<", cutoff).execute();
  });
}
