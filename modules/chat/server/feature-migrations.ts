import { sql, type Kysely } from "kysely";
import type { DbKind, NamedMigration } from "@ensemble/kernel";

const ts = "text";

async function previews(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("chat_link_previews")
    .addColumn("url_hash", ts, (c) => c.primaryKey())
    .addColumn("url", ts, (c) => c.notNull())
    // JSON of the page metadata, null when the page gave none (a negative entry, kept shorter).
    .addColumn("data", ts)
    .addColumn("fetched_at", ts, (c) => c.notNull())
    .addColumn("expires_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("chat_link_previews_expires").on("chat_link_previews").column("expires_at").execute();
  await db.schema
    .createTable("chat_preview_removals")
    .addColumn("message_id", ts, (c) => c.primaryKey().references("chat_messages.id").onDelete("cascade"))
    .addColumn("removed_at", ts, (c) => c.notNull())
    .execute();
}

async function integrations(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("chat_incoming_webhooks")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("room_id", ts, (c) => c.notNull().references("chat_rooms.id").onDelete("cascade"))
    .addColumn("name", ts, (c) => c.notNull())
    .addColumn("secret_hash", ts, (c) => c.notNull())
    .addColumn("username", ts)
    .addColumn("icon_url", ts)
    .addColumn("created_by", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("last_used_at", ts)
    .execute();
  await db.schema.createIndex("chat_incoming_webhooks_room").on("chat_incoming_webhooks").column("room_id").execute();
  await db.schema
    .createTable("chat_outgoing_webhooks")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("room_id", ts, (c) => c.notNull().references("chat_rooms.id").onDelete("cascade"))
    .addColumn("name", ts, (c) => c.notNull())
    .addColumn("url", ts, (c) => c.notNull())
    // JSON array; empty means every message of the room.
    .addColumn("trigger_words", ts, (c) => c.notNull().defaultTo("[]"))
    .addColumn("trigger_when", ts, (c) => c.notNull().defaultTo("first_word"))
    // Sent to the receiver (Slack's verification token) and the HMAC key: both must be readable to sign.
    .addColumn("token", ts, (c) => c.notNull())
    .addColumn("signing_secret", ts, (c) => c.notNull())
    .addColumn("created_by", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("chat_outgoing_webhooks_room").on("chat_outgoing_webhooks").column("room_id").execute();
  // Which hooks already received an event: a retried handler does not post twice to those that did.
  await db.schema
    .createTable("chat_outgoing_deliveries")
    .addColumn("event_id", ts, (c) => c.notNull())
    .addColumn("hook_id", ts, (c) => c.notNull().references("chat_outgoing_webhooks.id").onDelete("cascade"))
    .addColumn("status", "integer", (c) => c.notNull())
    .addColumn("delivered_at", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("chat_outgoing_deliveries_pk", ["event_id", "hook_id"])
    .execute();
  await db.schema
    .createTable("chat_slash_commands")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("command", ts, (c) => c.notNull().unique())
    .addColumn("url", ts, (c) => c.notNull())
    .addColumn("token", ts, (c) => c.notNull())
    .addColumn("description", ts, (c) => c.notNull().defaultTo(""))
    .addColumn("created_by", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("chat_response_urls")
    .addColumn("token_hash", ts, (c) => c.primaryKey())
    .addColumn("room_id", ts, (c) => c.notNull().references("chat_rooms.id").onDelete("cascade"))
    .addColumn("user_id", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("command", ts, (c) => c.notNull())
    .addColumn("uses", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("expires_at", ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("chat_bots")
    .addColumn("user_id", ts, (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("description", ts, (c) => c.notNull().defaultTo(""))
    .addColumn("created_by", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
}

async function files(db: Kysely<unknown>): Promise<void> {
  // Ready for the files service: a row per uploaded file, owned by its author.
  await db.schema
    .createTable("chat_files")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("owner_id", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("room_id", ts, (c) => c.notNull().references("chat_rooms.id").onDelete("cascade"))
    .addColumn("message_id", ts)
    .addColumn("name", ts, (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("mime_type", ts, (c) => c.notNull())
    .addColumn("blob_key", ts, (c) => c.notNull())
    .addColumn("thumb_key", ts)
    .addColumn("width", "integer")
    .addColumn("height", "integer")
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("chat_files_owner").on("chat_files").columns(["owner_id", "created_at"]).execute();
  await db.schema.createIndex("chat_files_room").on("chat_files").column("room_id").execute();
}

async function moderation(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("chat_reports")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("room_id", ts, (c) => c.notNull().references("chat_rooms.id").onDelete("cascade"))
    .addColumn("message_id", ts, (c) => c.notNull().references("chat_messages.id").onDelete("cascade"))
    .addColumn("reporter_id", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("reason", ts, (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("resolved_at", ts)
    .addColumn("resolved_by", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("resolution", ts)
    .execute();
  await db.schema.createIndex("chat_reports_room").on("chat_reports").columns(["room_id", "resolved_at"]).execute();
  await db.schema
    .createIndex("chat_reports_once")
    .on("chat_reports")
    .columns(["message_id", "reporter_id"])
    .unique()
    .execute();
  await db.schema
    .createTable("chat_mutes")
    .addColumn("room_id", ts, (c) => c.notNull().references("chat_rooms.id").onDelete("cascade"))
    .addColumn("user_id", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("until", ts)
    .addColumn("muted_by", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("chat_mutes_pk", ["room_id", "user_id"])
    .execute();
  // `scope` is `global` or a room id; `days` 0 keeps messages forever.
  await db.schema
    .createTable("chat_retention")
    .addColumn("scope", ts, (c) => c.primaryKey())
    .addColumn("days", "integer", (c) => c.notNull())
    .addColumn("updated_by", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
}

async function fileRooms(db: Kysely<unknown>): Promise<void> {
  // Other rooms a file was shared into (a forward, a quote): their readers may read the file too.
  await db.schema
    .createTable("chat_file_rooms")
    .addColumn("file_id", ts, (c) => c.notNull().references("chat_files.id").onDelete("cascade"))
    .addColumn("room_id", ts, (c) => c.notNull().references("chat_rooms.id").onDelete("cascade"))
    .addColumn("message_id", ts, (c) => c.notNull().references("chat_messages.id").onDelete("cascade"))
    .addColumn("shared_by", ts, (c) => c.references("users.id").onDelete("set null"))
    .addPrimaryKeyConstraint("chat_file_rooms_pk", ["file_id", "message_id"])
    .execute();
  await db.schema.createIndex("chat_file_rooms_file").on("chat_file_rooms").columns(["file_id", "room_id"]).execute();
}

async function messagesRecency(db: Kysely<unknown>): Promise<void> {
  // Search pages newest first: PostgreSQL walks this index and stops at the page instead of sorting every match (bench `chat`).
  await db.schema.createIndex("chat_messages_created").on("chat_messages").columns(["created_at", "id"]).execute();
}

/**
 * PostgreSQL search reads only `chat_message_search`: the stored tsvector
 * (GIN, no to_tsvector per candidate row), and what the filters and the
 * newest-first order need, so a common word walks this table's recency
 * index and stops at the page (bench `chat`). SQLite keeps FTS5 walked by rowid.
 */
async function searchColumns(db: Kysely<unknown>, kind: DbKind): Promise<void> {
  if (kind !== "postgres") return;
  await sql`alter table chat_message_search
    add column tsv tsvector generated always as (to_tsvector('simple', folded)) stored,
    add column created_at text,
    add column author_id text references users(id) on delete set null,
    add column has_file integer not null default 0,
    add column has_link integer not null default 0`.execute(db);
  await sql`update chat_message_search s set created_at = m.created_at, author_id = m.author_id, has_file = m.has_file, has_link = m.has_link
    from chat_messages m where m.id = s.message_id`.execute(db);
  await sql`alter table chat_message_search alter column created_at set not null`.execute(db);
  await sql`drop index chat_message_search_fts`.execute(db);
  await sql`create index chat_message_search_tsv on chat_message_search using gin (tsv)`.execute(db);
  await sql`create index chat_message_search_recent on chat_message_search (created_at, message_id)`.execute(db);
}

/**
 * The features' tables (previews, integrations, files, moderation) and two later changes to the core's.
 * Names are the history's keys: a database that ran them never runs them again, so they never change.
 */
export const chatFeatureMigrations: readonly NamedMigration[] = [
  { name: "20261128T2300_chat_previews", up: previews },
  { name: "20261128T2301_chat_integrations", up: integrations },
  { name: "20261128T2302_chat_files", up: files },
  { name: "20261128T2303_chat_moderation", up: moderation },
  { name: "20261128T2304_chat_file_rooms", up: fileRooms },
  { name: "20261128T2305_chat_messages_recency", up: messagesRecency },
  { name: "20261128T2350_chat_search_columns", up: searchColumns },
];
