import { sql, type RawBuilder, type SqlBool } from "kysely";

/**
 * Accent- and case-insensitive matching that behaves the same on SQLite and
 * PostgreSQL without extensions (no ICU, no `unaccent`): the same character
 * map is applied to the column in SQL and to the query in JS. SQLite's
 * `lower()` only folds ASCII, hence the upper-case accented letters in the map.
 * It scans the rows it filters, which is fine for a directory of thousands of
 * people; a larger corpus belongs in the full-text search index.
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
  oe: "œŒ",
  ae: "æÆ",
};

const PAIRS: [string, string][] = Object.entries(FOLD).flatMap(([to, from]) => [...from].map((f): [string, string] => [f, to]));
const JS_MAP = new Map(PAIRS);

/** The JS half: what a query string becomes before it is compared. */
export function foldText(s: string): string {
  return [...s.toLowerCase()].map((c) => JS_MAP.get(c) ?? c).join("");
}

/** The SQL half: `lower(expr)` with every accented letter of the map replaced. */
export function foldSql(expr: RawBuilder<unknown>): RawBuilder<string> {
  let out: RawBuilder<unknown> = sql`lower(${expr})`;
  for (const [from, to] of PAIRS) out = sql`replace(${out}, ${sql.lit(from)}, ${sql.lit(to)})`;
  return out as RawBuilder<string>;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** `expr` contains `needle`, ignoring case and accents; LIKE wildcards in the needle are literal. */
export function foldedContains(expr: RawBuilder<unknown>, needle: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${foldSql(expr)} like ${`%${escapeLike(foldText(needle))}%`} escape '\\'`;
}
