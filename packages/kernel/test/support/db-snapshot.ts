import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { TestServer } from "@ensemble/testkit";

/**
 * Changes that are legitimate consequences of a rejected request, and why:
 * - auth_failures: every table row is a failed-attempt counter or a lock.
 *   Counting a failed sign-in (even a nonsensical one that passed the schema)
 *   is the brute-force defence itself, not a side effect to forbid.
 * - sessions.last_used_at / app_tokens.last_used_at: authentication runs
 *   before validation and records (at most once a minute) that a genuine
 *   credential was used; it reflects the valid part of the request, not the
 *   malformed part, and changes nothing a user could see as data.
 * - leases: scheduled jobs (retention, digests, sweeps) take their cluster
 *   lease on their own timer, whatever requests arrive; on a loaded machine a
 *   tick lands inside the snapshot window.
 */
const VOLATILE: Record<string, readonly string[] | "table"> = {
  auth_failures: "table",
  sessions: ["last_used_at"],
  app_tokens: ["last_used_at"],
  leases: "table",
};

const stable = (_k: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);

/** Row count and content hash of every table of this server's database, minus the volatile parts above. */
export async function snapshotTables(s: TestServer): Promise<Record<string, string>> {
  const db = s.kernel.db;
  // Listed by hand: Kysely's introspection walks every schema, and other suites drop theirs concurrently.
  const list =
    s.kernel.database.kind === "sqlite"
      ? sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`
      : sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`;
  const tables = (await list.execute(db)).rows.map((r) => r.name);
  const out: Record<string, string> = {};
  for (const name of tables) {
    const skip = VOLATILE[name];
    if (skip === "table") continue;
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    const lines = rows.map((r) => {
      const kept = Object.fromEntries(Object.entries(r).filter(([c]) => !skip?.includes(c)));
      return JSON.stringify(kept, stable);
    });
    lines.sort();
    out[name] = `${rows.length}:${createHash("sha256").update(lines.join("\n")).digest("hex")}`;
  }
  return out;
}
