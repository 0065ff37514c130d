import type { Kysely } from "kysely";
import type { Kernel, KernelTables, NamedMigration } from "@ensemble/kernel";

/**
 * A Nextcloud login flow v2 in progress: the client polls with one secret while the person signs
 * in the browser with the other; both are stored hashed. The app password lives here only between
 * the grant and the client's next poll (deleted by that poll, or with the flow when it expires).
 */
export interface FilesLoginFlowsTable {
  /** SHA-256 of the poll token (what the client sends to /poll). */
  poll_hash: string;
  /** SHA-256 of the login token (the last segment of the URL the browser opens). */
  login_hash: string;
  /** What the client calls itself (its User-Agent), shown on the grant page and naming the app password. */
  client_name: string;
  user_id: string | null;
  app_password: string | null;
  created_at: string;
  expires_at: string;
}

export type LoginFlowTables = { files_login_flows: FilesLoginFlowsTable };
export type LoginFlowDb = Kysely<KernelTables & LoginFlowTables>;
export const loginFlowDb = (k: Kernel): LoginFlowDb => k.db.withTables<LoginFlowTables>();

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("files_login_flows")
    .addColumn("poll_hash", "text", (c) => c.primaryKey())
    .addColumn("login_hash", "text", (c) => c.notNull().unique())
    .addColumn("client_name", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("cascade"))
    .addColumn("app_password", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
}

export const loginFlowMigration: NamedMigration = { name: "20261207T0300_files_login_flows", up };
