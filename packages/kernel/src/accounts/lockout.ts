import type { Kysely } from "kysely";
import type { KernelTables } from "../db/tables.ts";

/**
 * Brute-force protection kept in the database so that every node sees the
 * same counters. Keys are `user:<username>` and `ip:<address>`; the address
 * threshold is higher because offices share addresses behind NAT.
 */
export interface LockoutPolicy {
  threshold: number;
  minutes: number;
}

const IP_FACTOR = 4;

const thresholdFor = (key: string, p: LockoutPolicy) => (key.startsWith("ip:") ? p.threshold * IP_FACTOR : p.threshold);

/** Seconds left if any key is locked, else 0. */
export async function lockedFor(db: Kysely<KernelTables>, keys: string[]): Promise<number> {
  const rows = await db.selectFrom("auth_failures").select(["locked_until"]).where("key", "in", keys).execute();
  const now = Date.now();
  let left = 0;
  for (const r of rows) {
    if (r.locked_until) left = Math.max(left, Math.ceil((Date.parse(r.locked_until) - now) / 1000));
  }
  return Math.max(0, left);
}

export async function recordFailure(db: Kysely<KernelTables>, keys: string[], p: LockoutPolicy): Promise<void> {
  const now = new Date();
  const windowStart = now.getTime() - p.minutes * 60_000;
  for (const key of keys) {
    await db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom("auth_failures").selectAll().where("key", "=", key).executeTakeFirst();
      const fresh = !row || Date.parse(row.first_at) < windowStart;
      const count = fresh ? 1 : row.count + 1;
      const locked = count >= thresholdFor(key, p) ? new Date(now.getTime() + p.minutes * 60_000).toISOString() : null;
      const values = { count, first_at: fresh ? now.toISOString() : row.first_at, locked_until: locked };
      if (row) await tx.updateTable("auth_failures").set(values).where("key", "=", key).execute();
      else
        await tx
          .insertInto("auth_failures")
          .values({ key, ...values })
          .execute();
    });
  }
}

export async function clearFailures(db: Kysely<KernelTables>, keys: string[]): Promise<void> {
  await db.deleteFrom("auth_failures").where("key", "in", keys).execute();
}
