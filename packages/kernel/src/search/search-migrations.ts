import { sql, type Kysely } from "kysely";
import type { DbKind } from "../db/database.ts";

/**
 * The shared search index. SQLite: an FTS5 table over `search_documents`
 * (external content, kept in step by triggers) with diacritics removed.
 * PostgreSQL: a stored tsvector in the `ensemble_fr` configuration (French
 * stemming after `unaccent`), with a GIN index.
 */
export async function searchMigration(db: Kysely<unknown>, kind: DbKind): Promise<void> {
  let t = db.schema
    .createTable("search_documents")
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("doc_id", "text", (c) => c.notNull())
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("url", "text")
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("search_documents_pk", ["type", "doc_id"]);
  if (kind === "postgres") {
    await ensureFrenchConfig(db);
    t = t.addColumn("tsv", sql`tsvector`, (c) =>
      c
        .generatedAlwaysAs(
          sql`setweight(to_tsvector('ensemble_fr', title), 'A') || setweight(to_tsvector('ensemble_fr', body), 'B')`,
        )
        .stored(),
    );
  }
  await t.execute();
  await db.schema.createIndex("search_documents_scope").on("search_documents").columns(["type", "scope"]).execute();
  if (kind === "postgres") {
    await sql`create index search_documents_tsv on search_documents using gin (tsv)`.execute(db);
    return;
  }
  await sql`create virtual table search_fts using fts5(title, body, content='search_documents', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')`.execute(
    db,
  );
  await sql`create trigger search_documents_ai after insert on search_documents begin
    insert into search_fts(rowid, title, body) values (new.rowid, new.title, new.body); end`.execute(db);
  await sql`create trigger search_documents_ad after delete on search_documents begin
    insert into search_fts(search_fts, rowid, title, body) values ('delete', old.rowid, old.title, old.body); end`.execute(
    db,
  );
  await sql`create trigger search_documents_au after update on search_documents begin
    insert into search_fts(search_fts, rowid, title, body) values ('delete', old.rowid, old.title, old.body);
    insert into search_fts(rowid, title, body) values (new.rowid, new.title, new.body); end`.execute(db);
}

/**
 * `ensemble_fr` = French stemming after `unaccent`, in this schema. The
 * extension is database-wide: it is created in `public` (never in a schema a
 * test may drop) when available and not there yet; without it the
 * configuration is plain French and accents then matter.
 */
async function ensureFrenchConfig(db: Kysely<unknown>): Promise<void> {
  const found = async () =>
    (
      await sql<{
        schema: string;
      }>`select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'unaccent'`.execute(
        db,
      )
    ).rows[0]?.schema;
  let schema = await found();
  if (!schema) {
    const available =
      (await sql`select 1 from pg_available_extensions where name = 'unaccent'`.execute(db)).rows.length > 0;
    if (available) {
      await sql`create extension if not exists unaccent schema public`.execute(db);
      schema = await found();
    }
  }
  await sql`create text search configuration ensemble_fr (copy = pg_catalog.french)`.execute(db);
  if (schema) {
    await sql`alter text search configuration ensemble_fr alter mapping for hword, hword_part, word with ${sql.id(schema, "unaccent")}, french_stem`.execute(
      db,
    );
  }
}
