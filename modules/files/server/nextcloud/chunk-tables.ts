import type { Kysely } from "kysely";
import type { Kernel, KernelTables, NamedMigration } from "@ensemble/kernel";
import type { FilesTables } from "../tables.ts";

/** A chunked upload in progress (`/remote.php/dav/uploads/{user}/{transfer}`), named by its client. */
export interface FilesUploadsTable {
  id: string;
  user_id: string;
  /** The client's name for it (a number or a UUID). */
  transfer: string;
  created_at: string;
  /** Each chunk received touches it: an upload idle for a day is discarded. */
  updated_at: string;
}

/** One chunk: its bytes are a blob under the content key of `blob_id`, not yet a content. */
export interface FilesUploadChunksTable {
  upload_id: string;
  name: string;
  blob_id: string;
  size: number;
  created_at: string;
}

export type ChunkTables = FilesTables & {
  files_uploads: FilesUploadsTable;
  files_upload_chunks: FilesUploadChunksTable;
};
export type ChunkDb = Kysely<KernelTables & ChunkTables>;
export const chunkDb = (k: Kernel): ChunkDb => k.db.withTables<ChunkTables>();

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("files_uploads")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("transfer", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("files_uploads_transfer", ["user_id", "transfer"])
    .execute();
  await db.schema
    .createTable("files_upload_chunks")
    .addColumn("upload_id", "text", (c) => c.notNull().references("files_uploads.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("blob_id", "text", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("files_upload_chunks_pk", ["upload_id", "name"])
    .execute();
}

export const chunkedUploadMigration: NamedMigration = { name: "20261207T0230_files_chunked_uploads", up };
