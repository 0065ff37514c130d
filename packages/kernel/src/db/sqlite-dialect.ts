import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import type { SqliteDatabase, SqliteStatement } from "kysely";
import { ensureSqliteFunction } from "./fold.ts";
import { SqliteWriterReaderDialect } from "./sqlite-driver.ts";

/**
 * Kysely's SqliteDialect speaks the better-sqlite3 interface; `node:sqlite`
 * is close enough that a thin adapter suffices and no native addon is needed.
 */
export function nodeSqliteDatabase(db: DatabaseSync): SqliteDatabase {
  // Kysely prepares every query it runs; compiling the same SQL again each time
  // was ~12% of the server's CPU under sustained chat posting (bench `chat`).
  // Reuse is safe: Kysely runs one query at a time on the connection, and
  // SQLite re-prepares a cached statement itself after a schema change.
  const cache = new Map<string, SqliteStatement>();
  const args = (params: readonly unknown[]) => params.map(toSqlite);
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit) {
        // Least recently used first: re-insert on use.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = db.prepare(sql);
      const prepared: SqliteStatement = {
        reader: stmt.columns().length > 0,
        all: (params) => stmt.all(...args(params)),
        run: (params) => {
          const r = stmt.run(...args(params));
          return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
        },
        iterate: (params) => stmt.iterate(...args(params)),
      };
      cache.set(sql, prepared);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      return prepared;
    },
  };
}

/** Distinct SQL texts kept prepared (IN lists of varying length make each length its own text). */
const STATEMENT_CACHE_SIZE = 1_000;

function toSqlite(v: unknown): SQLInputValue {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return v as SQLInputValue;
}

/** The database file with its writer (`raw`, also used for backups and search) and a read-only reader. */
export function openSqlite(file: string): { dialect: SqliteWriterReaderDialect; raw: DatabaseSync } {
  const raw = new DatabaseSync(file);
  raw.exec("PRAGMA journal_mode = WAL");
  raw.exec("PRAGMA foreign_keys = ON");
  raw.exec("PRAGMA busy_timeout = 5000");
  raw.exec("PRAGMA synchronous = NORMAL");
  const reader = new DatabaseSync(file, { readOnly: true });
  reader.exec("PRAGMA busy_timeout = 5000");
  for (const c of [raw, reader]) ensureSqliteFunction(c);
  return { dialect: new SqliteWriterReaderDialect(nodeSqliteDatabase(raw), nodeSqliteDatabase(reader)), raw };
}
