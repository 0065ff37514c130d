import type { DatabaseSync } from "node:sqlite";
import { sql, type RawBuilder, type SqlBool } from "kysely";
import type { Database } from "./database.ts";

/**
 * Accent- and case-insensitive matching that behaves the same on SQLite and
 * PostgreSQL without extensions (no ICU, no `unaccent`): one character map,
 * applied to the query in JS and to the column in SQL — on PostgreSQL by
 * nested `replace()` (measured faster than `translate()` with multi-byte
 * characters), on SQLite by a deterministic function registered on the
 * connection that runs the very same JS. It scans the rows it filters, which
 * stays in the tens of milliseconds for a directory of ~10,000 people; a
 * larger corpus belongs in the full-text search index.
 */
const FOLD: Record<string, string> = {
  a: "àáâãäåÀÁÂÃÄÅ",
  c: "çÇ",
  e: "èéêëÈÉÊË",
  i: "ìíîïÌÍÎÏ",
  n: "ñÑ",
  o: "òóôõöøÒÓÔÕÖØ",
  u: "ùúûüÙÚÛÜ",
  y: "ýÿÝŸ",
};
const LIGATURES: [string, string][] = [
  ["œ", "oe"],
  ["Œ", "oe"],
  ["æ", "ae"],
  ["Æ", "ae"],
];

const SINGLE: [string, string][] = Object.entries(FOLD).flatMap(([to, from]) =>
  [...from].map((f): [string, string] => [f, to]),
);
const JS_MAP = new Map<string, string>([...SINGLE, ...LIGATURES]);

/** The JS half: what a query string (and, on SQLite, each row) becomes before comparison. */
export function foldText(s: string): string {
  let out = "";
  for (const c of s.toLowerCase()) out += JS_MAP.get(c) ?? c;
  return out;
}

const SQLITE_FN = "ensemble_fold";
const registered = new WeakSet<DatabaseSync>();

/** On every connection of the file (the writer and the reader): a SELECT may run on either. */
export function ensureSqliteFunction(raw: DatabaseSync): void {
  if (registered.has(raw)) return;
  raw.function(SQLITE_FN, { deterministic: true }, (v) => (v === null ? null : foldText(String(v))));
  registered.add(raw);
}

/** The SQL half: the folded form of `expr` on this engine. */
export function foldSql(database: Pick<Database, "kind" | "sqlite">, expr: RawBuilder<unknown>): RawBuilder<string> {
  if (database.kind === "sqlite") {
    if (!database.sqlite) throw new Error("SQLite database without its handle");
    ensureSqliteFunction(database.sqlite);
    return sql<string>`${sql.raw(SQLITE_FN)}(${expr})`;
  }
  // Upper-case accented letters stay in the map: under a "C" ctype, lower() folds ASCII only.
  let out: RawBuilder<unknown> = sql`lower(${expr})`;
  for (const [from, to] of [...SINGLE, ...LIGATURES]) out = sql`replace(${out}, ${sql.lit(from)}, ${sql.lit(to)})`;
  return out as RawBuilder<string>;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** `expr` contains `needle`, ignoring case and accents; LIKE wildcards in the needle are literal. */
export function foldedContains(
  database: Pick<Database, "kind" | "sqlite">,
  expr: RawBuilder<unknown>,
  needle: string,
): RawBuilder<SqlBool> {
  return sql<SqlBool>`${foldSql(database, expr)} like ${`%${escapeLike(foldText(needle))}%`} escape '\\'`;
}
