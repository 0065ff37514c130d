import type { Kysely } from "kysely";
import type { NamedMigration } from "@ensemble/kernel";

/**
 * A document's Yjs state: the compacted state, and the updates received since
 * (each written before the server acknowledges it, so a killed node loses no
 * acknowledged change). Both go with the file when it is purged.
 */
async function documents(db: Kysely<unknown>, kind: "sqlite" | "postgres"): Promise<void> {
  const bytes = kind === "postgres" ? "bytea" : "blob";
  await db.schema
    .createTable("docs_states")
    .addColumn("doc_id", "text", (c) => c.primaryKey().references("files_nodes.id").onDelete("cascade"))
    .addColumn("state", bytes, (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("docs_updates")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("doc_id", "text", (c) => c.notNull().references("files_nodes.id").onDelete("cascade"))
    .addColumn("update", bytes, (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("docs_updates_doc").on("docs_updates").column("doc_id").execute();
}

/** A document's history: whole states kept on a schedule, by name, and before each restore; they go with the file. */
async function versions(db: Kysely<unknown>, kind: "sqlite" | "postgres"): Promise<void> {
  await db.schema
    .createTable("docs_versions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("doc_id", "text", (c) => c.notNull().references("files_nodes.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("name", "text")
    .addColumn("state", kind === "postgres" ? "bytea" : "blob", (c) => c.notNull())
    .addColumn("author_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("docs_versions_doc").on("docs_versions").columns(["doc_id", "id"]).execute();
}

/** Comment threads on ranges of a document (anchored by Yjs relative positions) and their comments. */
async function comments(db: Kysely<unknown>, kind: "sqlite" | "postgres"): Promise<void> {
  const bytes = kind === "postgres" ? "bytea" : "blob";
  await db.schema
    .createTable("docs_threads")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("doc_id", "text", (c) => c.notNull().references("files_nodes.id").onDelete("cascade"))
    .addColumn("anchor_start", bytes, (c) => c.notNull())
    .addColumn("anchor_end", bytes, (c) => c.notNull())
    .addColumn("quote", "text", (c) => c.notNull())
    .addColumn("author_id", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("resolved_at", "text")
    .addColumn("resolved_by", "text")
    .execute();
  await db.schema.createIndex("docs_threads_doc").on("docs_threads").columns(["doc_id", "id"]).execute();
  await db.schema
    .createTable("docs_comments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("thread_id", "text", (c) => c.notNull().references("docs_threads.id").onDelete("cascade"))
    .addColumn("author_id", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("docs_comments_thread").on("docs_comments").columns(["thread_id", "id"]).execute();
}

export const docsMigrations: NamedMigration[] = [
  { name: "20261207T0300_docs_documents", up: documents },
  { name: "20261207T0600_docs_versions", up: versions },
  { name: "20261207T0630_docs_comments", up: comments },
];
