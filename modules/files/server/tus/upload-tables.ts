import type { Kysely } from "kysely";
import type { Kernel, KernelTables, NamedMigration } from "@ensemble/kernel";
import type { FilesTables } from "../tables.ts";

/**
 * A tus upload (`/api/files/uploads/{id}`): where its bytes will land, what was announced, and
 * (once finished) the file it became. The bytes in progress live in the tus store, never in the tree.
 */
export interface FilesTusUploadsTable {
  id: string;
  user_id: string;
  space_id: string;
  folder_id: string;
  name: string;
  /** Upload-Length: reserved against the space's quota while pending. */
  length: number;
  /** The SHA-256 the client announced (hex), checked against what arrived; null when none. */
  sha256: string | null;
  mime_type: string;
  /** The file it became; set once, in the finishing step. */
  node_id: string | null;
  /** Set while one request finishes it (a second one waits), cleared when that fails. */
  finishing_at: string | null;
  created_at: string;
  /** After this an unfinished upload is discarded with its bytes. */
  expires_at: string;
}

export type UploadTables = FilesTables & { files_tus_uploads: FilesTusUploadsTable };
export type UploadDb = Kysely<KernelTables & UploadTables>;
export const uploadDb = (k: Kernel): UploadDb => k.db.withTables<UploadTables>();

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("files_tus_uploads")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("space_id", "text", (c) => c.notNull().references("files_spaces.id").onDelete("cascade"))
    .addColumn("folder_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("length", "bigint", (c) => c.notNull())
    .addColumn("sha256", "text")
    .addColumn("mime_type", "text", (c) => c.notNull())
    .addColumn("node_id", "text")
    .addColumn("finishing_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("files_tus_uploads_space").on("files_tus_uploads").column("space_id").execute();
  await db.schema.createIndex("files_tus_uploads_expires").on("files_tus_uploads").column("expires_at").execute();
}

export const tusUploadMigration: NamedMigration = { name: "20261207T0600_files_tus_uploads", up };
