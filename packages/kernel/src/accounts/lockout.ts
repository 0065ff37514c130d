import type { Kysely } from "kysely";
import type { KernelTables } from "../db/tables.ts";

/**
 * Brute-force protection kept in the database so that every node sees the
 * same counters. Failures are counted per (account, address) — the throttle
 * a guesser meets, with a delay that doubles at each failure past the
 * threshold — and per account over all addresses, which locks the account
 * only when a distributed attack reaches `ACCOUNT_FACTOR` × the threshold.
 * Nothing is counted per address alone: an office behind one NAT address is
 * never locked out by a neighbour (the per-address rate limit bounds a single
 * address's guessing across accounts).
 */
export interface LockoutPolicy {
  threshold: number;
  minutes: number;
}

export const ACCOUNT_FACTOR = 10;
const MAX_DELAY_MS = 24 * 3_600_000;

/** `user:<id>`, or `login:<as typed>` for a login that names no account. */
export type AccountKey = string;

const pairKey = (account: AccountKey, ip: string) => `pair:${account}@${ip}`;

export interface LockState {
  /** Seconds this address must wait before trying this account again. */
  address: number;
  /** Seconds the account stays locked against a distributed attack. */
  account: number;
  /** Whether this address has failed on this account lately (the account lock then binds it without exception). */
  addressFailed: boolean;
}

const secondsLeft = (until: string | null, now: number) =>
  until ? Math.max(0, Math.ceil((Date.parse(until) - now) / 1000)) : 0;

export async function lockState(db: Kysely<KernelTables>, account: AccountKey, ip: string): Promise<LockState> {
  const pair = pairKey(account, ip);
  const rows = await db.selectFrom("auth_failures").selectAll().where("key", "in", [account, pair]).execute();
  const now = Date.now();
  const p = rows.find((r) => r.key === pair);
  const a = rows.find((r) => r.key === account);
  return {
    address: secondsLeft(p?.locked_until ?? null, now),
    account: secondsLeft(a?.locked_until ?? null, now),
    addressFailed: !!p,
  };
}

/**
 * One more failure of `ip` on `account`. A counter starts again once it has
 * been quiet for the window (`minutes`) after its first failure and after
 * the end of its last lock, so a patient guesser keeps meeting longer delays.
 */
export async function recordFailure(
  db: Kysely<KernelTables>,
  account: AccountKey,
  ip: string,
  p: LockoutPolicy,
): Promise<void> {
  const now = new Date();
  const windowMs = p.minutes * 60_000;
  const windowStart = now.getTime() - windowMs;
  const counters: { key: string; lockFor: (count: number) => number }[] = [
    {
      key: pairKey(account, ip),
      lockFor: (n) => (n < p.threshold ? 0 : Math.min(MAX_DELAY_MS, windowMs * 2 ** (n - p.threshold))),
    },
    { key: account, lockFor: (n) => (n < p.threshold * ACCOUNT_FACTOR ? 0 : windowMs) },
  ];
  for (const { key, lockFor } of counters) {
    await db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom("auth_failures").selectAll().where("key", "=", key).executeTakeFirst();
      const fresh =
        !row ||
        (Date.parse(row.first_at) < windowStart && (!row.locked_until || Date.parse(row.locked_until) < windowStart));
      const count = fresh ? 1 : row.count + 1;
      const ms = lockFor(count);
      const values = {
        count,
        first_at: fresh ? now.toISOString() : row.first_at,
        locked_until: ms > 0 ? new Date(now.getTime() + ms).toISOString() : fresh ? null : row.locked_until,
      };
      if (row) await tx.updateTable("auth_failures").set(values).where("key", "=", key).execute();
      else
        await tx
          .insertInto("auth_failures")
          .values({ key, ...values })
          .execute();
    });
  }
}

/**
 * After a successful sign-in from `ip`: that address starts afresh, and so
 * does the account unless it is locked (a distributed attack goes on whatever
 * its owner does).
 */
export async function clearFailures(db: Kysely<KernelTables>, account: AccountKey, ip: string): Promise<void> {
  await db.deleteFrom("auth_failures").where("key", "=", pairKey(account, ip)).execute();
  await db
    .deleteFrom("auth_failures")
    .where("key", "=", account)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", new Date().toISOString())]))
    .execute();
}

/** A password reset proves the owner: every counter of the account goes. */
export async function clearAccountFailures(db: Kysely<KernelTables>, account: AccountKey): Promise<void> {
  await db
    .deleteFrom("auth_failures")
    .where((eb) => eb.or([eb("key", "=", account), eb("key", "like", `pair:${account}@%`)]))
    .execute();
}
