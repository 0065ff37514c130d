import type { Kysely } from "kysely";
import type { Kernel, KernelTables, NamedMigration } from "@ensemble/kernel";

/** A custom emoji: its image is a blob; `id` changes when a name is reused, so it versions the URL. */
export interface ChatEmojiTable {
  name: string;
  id: string;
  blob_key: string;
  mime_type: string;
  size: number;
  created_by: string | null;
  created_at: string;
}

// A type alias (not an interface) so that Kysely's withTables<T>() accepts it.
export type ChatEmojiTables = { chat_emoji: ChatEmojiTable };

export type EmojiDb = Kysely<ChatEmojiTables & KernelTables>;
export const emojiDb = (k: Kernel): EmojiDb => k.db.withTables<ChatEmojiTables>();

async function customEmoji(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("chat_emoji")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("blob_key", "text", (c) => c.notNull())
    .addColumn("mime_type", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}

export const chatEmojiMigrations: readonly NamedMigration[] = [{ name: "20261128T2340_chat_emoji", up: customEmoji }];
