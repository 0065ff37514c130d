import { tusUploadMigration } from "./tus/upload-tables.ts";
import { sql, type Kysely } from "kysely";
import type { NamedMigration } from "@ensemble/kernel";
import { chunkedUploadMigration } from "./nextcloud/chunk-tables.ts";
import { loginFlowMigration } from "./nextcloud/login-flow-tables.ts";

const ts = "text";

async function core(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("files_spaces")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("kind", ts, (c) => c.notNull())
    .addColumn("user_id", ts, (c) => c.unique().references("users.id").onDelete("cascade"))
    .addColumn("group_id", ts, (c) => c.unique().references("groups.id").onDelete("cascade"))
    .addColumn("name", ts, (c) => c.notNull())
    .addColumn("root_id", ts, (c) => c.notNull())
    .addColumn("quota_bytes", "bigint")
    .addColumn("used_bytes", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("files_contents")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("sha256", ts, (c) => c.notNull())
    .addColumn("sha1", ts, (c) => c.notNull())
    .addColumn("md5", ts, (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("refs", "integer", (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("files_contents_sha256").on("files_contents").column("sha256").execute();

  await db.schema
    .createTable("files_nodes")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("space_id", ts, (c) => c.notNull().references("files_spaces.id").onDelete("cascade"))
    .addColumn("parent_id", ts, (c) => c.references("files_nodes.id").onDelete("cascade"))
    .addColumn("name", ts, (c) => c.notNull())
    .addColumn("kind", ts, (c) => c.notNull())
    .addColumn("content_id", ts, (c) => c.references("files_contents.id"))
    .addColumn("size", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("mime_type", ts)
    .addColumn("etag", ts, (c) => c.notNull())
    .addColumn("mtime", ts, (c) => c.notNull())
    .addColumn("created_by", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .addColumn("deleted_at", ts)
    .addColumn("deleted_by", ts)
    .execute();
  // One live entry per name in a folder; trashed entries keep their name beside a new one.
  await db.schema
    .createIndex("files_nodes_live_name")
    .on("files_nodes")
    .columns(["parent_id", "name"])
    .unique()
    .where(sql.ref("deleted_at"), "is", null)
    .execute();
  await db.schema.createIndex("files_nodes_trash").on("files_nodes").columns(["space_id", "deleted_at"]).execute();

  await db.schema
    .createTable("files_versions")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("node_id", ts, (c) => c.notNull().references("files_nodes.id").onDelete("cascade"))
    .addColumn("content_id", ts, (c) => c.notNull().references("files_contents.id"))
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("mtime", ts, (c) => c.notNull())
    .addColumn("created_by", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("files_versions_node").on("files_versions").columns(["node_id", "created_at"]).execute();

  await db.schema
    .createTable("files_props")
    .addColumn("node_id", ts, (c) => c.notNull().references("files_nodes.id").onDelete("cascade"))
    .addColumn("ns", ts, (c) => c.notNull())
    .addColumn("name", ts, (c) => c.notNull())
    .addColumn("value", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("files_props_pk", ["node_id", "ns", "name"])
    .execute();

  await db.schema
    .createTable("files_locks")
    .addColumn("token", ts, (c) => c.primaryKey())
    .addColumn("space_id", ts, (c) => c.notNull().references("files_spaces.id").onDelete("cascade"))
    .addColumn("path", ts, (c) => c.notNull())
    .addColumn("depth", ts, (c) => c.notNull())
    .addColumn("scope", ts, (c) => c.notNull())
    .addColumn("owner_xml", ts, (c) => c.notNull())
    .addColumn("user_id", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("timeout_s", "integer", (c) => c.notNull())
    .addColumn("expires_at", ts, (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("files_locks_space").on("files_locks").columns(["space_id", "path"]).execute();
}

async function shares(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("files_shares")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("node_id", ts, (c) => c.notNull().references("files_nodes.id").onDelete("cascade"))
    .addColumn("space_id", ts, (c) => c.notNull().references("files_spaces.id").onDelete("cascade"))
    .addColumn("recipient_user_id", ts, (c) => c.references("users.id").onDelete("cascade"))
    .addColumn("recipient_group_id", ts, (c) => c.references("groups.id").onDelete("cascade"))
    .addColumn("permission", ts, (c) => c.notNull())
    .addColumn("expires_at", ts)
    .addColumn("created_by", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  // One share per node and recipient: sharing again changes it.
  for (const col of ["recipient_user_id", "recipient_group_id"] as const)
    await db.schema.createIndex(`files_shares_${col}`).on("files_shares").columns([col, "node_id"]).unique().execute();
  await db.schema.createIndex("files_shares_node").on("files_shares").column("node_id").execute();
  await db.schema.createIndex("files_shares_space").on("files_shares").column("space_id").execute();
}

async function links(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("files_links")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("node_id", ts, (c) => c.notNull().references("files_nodes.id").onDelete("cascade"))
    .addColumn("space_id", ts, (c) => c.notNull().references("files_spaces.id").onDelete("cascade"))
    .addColumn("token_hash", ts, (c) => c.notNull().unique())
    .addColumn("kind", ts, (c) => c.notNull())
    .addColumn("password_hash", ts)
    .addColumn("expires_at", ts)
    .addColumn("downloads", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("files_links_node").on("files_links").column("node_id").execute();
}

export const filesMigrations: NamedMigration[] = [
  { name: "20261206T2300_files_core", up: core },
  chunkedUploadMigration,
  { name: "20261207T0240_files_shares", up: shares },
  loginFlowMigration,
  { name: "20261207T0310_files_links", up: links },
  tusUploadMigration,
];
