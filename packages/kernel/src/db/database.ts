import { mkdirSync } from "node:fs";
import path from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { Config } from "../config.ts";
import type { KernelTables } from "./tables.ts";
import { openSqlite } from "./sqlite-dialect.ts";
import { withCommitHooks } from "./commit-hooks.ts";
import { dbTimings } from "../metrics.ts";

export type DbKind = "sqlite" | "postgres";

export interface Database {
  kind: DbKind;
  db: Kysely<KernelTables>;
  /** The SQLite handle, for online backups; absent on PostgreSQL. */
  sqlite?: DatabaseSync;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

// int8 (counts, sequences) as JS numbers: our values stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export async function openDatabase(config: Config): Promise<Database> {
  const log = {
    log: (e: { level: string; queryDurationMillis: number }) => {
      if (e.level === "query") dbTimings.observe(e.queryDurationMillis / 1000);
    },
  };
  if (config.DATABASE_URL) {
    const schema = config.DATABASE_SCHEMA;
    const pool = new pg.Pool({
      connectionString: config.DATABASE_URL,
      max: config.DATABASE_POOL_SIZE,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    const db = new Kysely<KernelTables>({ dialect: withCommitHooks(new PostgresDialect({ pool })), ...log });
    return {
      kind: "postgres",
      db,
      ping: async () => (await sql`select 1 as ok`.execute(db)).rows.length === 1,
      close: () => db.destroy(),
    };
  }
  mkdirSync(config.dataDir, { recursive: true });
  const { dialect, raw } = openSqlite(path.join(config.dataDir, "ensemble.db"));
  const db = new Kysely<KernelTables>({ dialect: withCommitHooks(dialect), ...log });
  return {
    kind: "sqlite",
    db,
    sqlite: raw,
    ping: async () => (await sql`select 1 as ok`.execute(db)).rows.length === 1,
    close: () => db.destroy(),
  };
}

/** Timestamps are ISO-8601 UTC text on both engines: portable, sortable, readable. */
export const nowIso = (): string => new Date().toISOString();
