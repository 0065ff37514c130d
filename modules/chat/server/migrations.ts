import { sql, type ColumnDefinitionBuilder, type Kysely } from "kysely";
import type { DbKind, NamedMigration } from "@ensemble/kernel";

const ts = "text";
const flag = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(0);

async function rooms(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("chat_rooms")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("type", ts, (c) => c.notNull())
    .addColumn("slug", ts, (c) => c.unique())
    .addColumn("name", ts, (c) => c.notNull())
    .addColumn("topic", ts, (c) => c.notNull().defaultTo(""))
    .addColumn("description", ts, (c) => c.notNull().defaultTo(""))
    .addColumn("announcement", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("is_default", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("dm_key", ts, (c) => c.unique())
    .addColumn("settings", ts, (c) => c.notNull().defaultTo("{}"))
    .addColumn("archived_at", ts)
    .addColumn("created_by", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .addColumn("last_seq", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("last_message_at", ts)
    .execute();
  await db.schema.createIndex("chat_rooms_type_slug").on("chat_rooms").columns(["type", "slug"]).execute();

  await db.schema
    .createTable("chat_members")
    .addColumn("room_id", ts, (c) => c.notNull().references("chat_rooms.id").onDelete("cascade"))
    .addColumn("user_id", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", ts, (c) => c.notNull())
    .addColumn("favourite", "integer", flag)
    .addColumn("muted", "integer", flag)
    .addColumn("hidden", "integer", flag)
    .addColumn("last_read_seq", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("joined_at", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("chat_members_pk", ["room_id", "user_id"])
    .execute();
  await db.schema.createIndex("chat_members_user").on("chat_members").columns(["user_id", "room_id"]).execute();
}

async function messages(db: Kysely<unknown>, kind: DbKind): Promise<void> {
  await db.schema
    .createTable("chat_messages")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("room_id", ts, (c) => c.notNull().references("chat_rooms.id").onDelete("cascade"))
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("kind", ts, (c) => c.notNull())
    .addColumn("author_id", ts, (c) => c.references("users.id").onDelete("set null"))
    .addColumn("client_key", ts)
    .addColumn("text", ts, (c) => c.notNull())
    .addColumn("parent_id", ts)
    .addColumn("in_channel", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("also_in_channel", "integer", flag)
    .addColumn("quote_id", ts)
    .addColumn("forwarded_from_id", ts)
    .addColumn("attachments", ts)
    .addColumn("preview", ts)
    .addColumn("meta", ts)
    .addColumn("mentions", ts, (c) => c.notNull().defaultTo("{}"))
    .addColumn("mentions_all", "integer", flag)
    .addColumn("has_link", "integer", flag)
    .addColumn("has_file", "integer", flag)
    .addColumn("reply_count", "integer", flag)
    .addColumn("last_reply_at", ts)
    .addColumn("pinned_at", ts)
    .addColumn("pinned_by", ts)
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("edited_at", ts)
    .addColumn("deleted_at", ts)
    .execute();
  // History pages: a range scan on (room, in_channel, seq) — as fast in a room of 1,000,000 messages as in one of 100.
  await db.schema
    .createIndex("chat_messages_room_seq")
    .on("chat_messages")
    .columns(["room_id", "seq"])
    .unique()
    .execute();
  await db.schema
    .createIndex("chat_messages_channel")
    .on("chat_messages")
    .columns(["room_id", "in_channel", "seq"])
    .execute();
  await db.schema.createIndex("chat_messages_thread").on("chat_messages").columns(["parent_id", "seq"]).execute();
  // A retried send finds the message it already created; concurrent retries collide here.
  await db.schema
    .createIndex("chat_messages_client_key")
    .on("chat_messages")
    .columns(["author_id", "client_key"])
    .unique()
    .execute();
  await db.schema
    .createIndex("chat_messages_author")
    .on("chat_messages")
    .columns(["author_id", "created_at"])
    .execute();
  await db.schema.createIndex("chat_messages_pinned").on("chat_messages").columns(["room_id", "pinned_at"]).execute();

  await db.schema
    .createTable("chat_message_edits")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("message_id", ts, (c) => c.notNull().references("chat_messages.id").onDelete("cascade"))
    .addColumn("text", ts, (c) => c.notNull())
    .addColumn("edited_by", ts, (c) => c.notNull())
    .addColumn("edited_at", ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("chat_message_edits_message")
    .on("chat_message_edits")
    .columns(["message_id", "edited_at"])
    .execute();

  await db.schema
    .createTable("chat_mentions")
    .addColumn("message_id", ts, (c) => c.notNull().references("chat_messages.id").onDelete("cascade"))
    .addColumn("room_id", ts, (c) => c.notNull())
    .addColumn("user_id", ts, (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("chat_mentions_pk", ["message_id", "user_id"])
    .execute();
  await db.schema
    .createIndex("chat_mentions_user_room")
    .on("chat_mentions")
    .columns(["user_id", "room_id", "seq"])
    .execute();

  await db.schema
    .createTable("chat_reactions")
    .addColumn("message_id", ts, (c) => c.notNull().references("chat_messages.id").onDelete("cascade"))
    .addColumn("user_id", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("emoji", ts, (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("chat_reactions_pk", ["message_id", "emoji", "user_id"])
    .execute();

  await db.schema
    .createTable("chat_thread_followers")
    .addColumn("thread_id", ts, (c) => c.notNull().references("chat_messages.id").onDelete("cascade"))
    .addColumn("user_id", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("room_id", ts, (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("chat_thread_followers_pk", ["thread_id", "user_id"])
    .execute();
  await db.schema
    .createIndex("chat_thread_followers_user")
    .on("chat_thread_followers")
    .columns(["user_id", "room_id"])
    .execute();

  await db.schema
    .createTable("chat_saved")
    .addColumn("user_id", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("message_id", ts, (c) => c.notNull().references("chat_messages.id").onDelete("cascade"))
    .addColumn("created_at", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("chat_saved_pk", ["user_id", "message_id"])
    .execute();

  await db.schema
    .createTable("chat_drafts")
    .addColumn("user_id", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("room_id", ts, (c) => c.notNull().references("chat_rooms.id").onDelete("cascade"))
    .addColumn("thread_key", ts, (c) => c.notNull())
    .addColumn("text", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("chat_drafts_pk", ["user_id", "room_id", "thread_key"])
    .execute();

  // Full-text index over accent-folded text (folded in JS, identically on both engines).
  if (kind === "sqlite") {
    await sql`create virtual table chat_message_fts using fts5(folded, message_id unindexed, room_id unindexed, tokenize = 'unicode61 remove_diacritics 2')`.execute(
      db,
    );
  } else {
    await db.schema
      .createTable("chat_message_search")
      .addColumn("message_id", ts, (c) => c.primaryKey().references("chat_messages.id").onDelete("cascade"))
      .addColumn("room_id", ts, (c) => c.notNull())
      .addColumn("folded", ts, (c) => c.notNull())
      .execute();
    await sql`create index chat_message_search_fts on chat_message_search using gin (to_tsvector('simple', folded))`.execute(
      db,
    );
  }
}

/** Chat's migrations, after the kernel's (they reference `users`). */
export const chatMigrations: readonly NamedMigration[] = [
  { name: "20261128T1500_chat_rooms", up: rooms },
  { name: "20261128T1501_chat_messages", up: (db, kind) => messages(db, kind) },
];
