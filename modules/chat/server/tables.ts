import type { Kysely } from "kysely";
import type { Kernel, KernelTables } from "@ensemble/kernel";
import type { MessageKind, RoomType } from "../shared/schemas.ts";
import type { RoomRole } from "../shared/capabilities.ts";
import type { ChatLinkPreviewsTable, ChatPreviewRemovalsTable } from "./previews/preview-tables.ts";
import type {
  ChatBotsTable,
  ChatIncomingWebhooksTable,
  ChatOutgoingDeliveriesTable,
  ChatOutgoingWebhooksTable,
  ChatResponseUrlsTable,
  ChatSlashCommandsTable,
} from "./integrations/integration-tables.ts";
import type { ChatFileRoomsTable, ChatFilesTable } from "./files/file-tables.ts";
import type { ChatMutesTable, ChatReportsTable, ChatRetentionTable } from "./moderation/moderation-tables.ts";

/** Chat tables (conventions of the kernel: text ids and times, 0/1 booleans, JSON as text). */
export interface ChatRoomsTable {
  id: string;
  type: RoomType;
  slug: string | null;
  name: string;
  topic: string;
  description: string;
  announcement: number;
  is_default: number;
  /** Sorted participant ids joined by `,`: one DM per set of people. */
  dm_key: string | null;
  /** JSON: { membersCanMentionAll, membersCanInvite }. */
  settings: string;
  archived_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** Last message sequence number handed out in this room. */
  last_seq: number;
  last_message_at: string | null;
  /** Blob key of the room's avatar (a new key per upload: it versions the URL); absent or null when none. */
  avatar_key?: string | null;
}

export interface ChatMembersTable {
  room_id: string;
  user_id: string;
  role: RoomRole;
  favourite: number;
  muted: number;
  hidden: number;
  last_read_seq: number;
  joined_at: string;
}

export interface ChatMessagesTable {
  id: string;
  room_id: string;
  seq: number;
  kind: MessageKind;
  author_id: string | null;
  client_key: string | null;
  text: string;
  parent_id: string | null;
  /** 1 when the message shows in the room's main list (not a thread-only reply). */
  in_channel: number;
  also_in_channel: number;
  quote_id: string | null;
  forwarded_from_id: string | null;
  attachments: string | null;
  preview: string | null;
  meta: string | null;
  /** JSON: { userIds, all, here, roomIds }. */
  mentions: string;
  mentions_all: number;
  has_link: number;
  has_file: number;
  reply_count: number;
  last_reply_at: string | null;
  pinned_at: string | null;
  pinned_by: string | null;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
}

export interface ChatMessageEditsTable {
  id: string;
  message_id: string;
  text: string;
  edited_by: string;
  edited_at: string;
}

export interface ChatMentionsTable {
  message_id: string;
  room_id: string;
  user_id: string;
  seq: number;
}

export interface ChatReactionsTable {
  message_id: string;
  user_id: string;
  emoji: string;
  created_at: string;
}

export interface ChatThreadFollowersTable {
  thread_id: string;
  user_id: string;
  room_id: string;
  created_at: string;
}

export interface ChatSavedTable {
  user_id: string;
  message_id: string;
  created_at: string;
}

export interface ChatDraftsTable {
  user_id: string;
  room_id: string;
  /** '' for the room's composer, the thread id otherwise. */
  thread_key: string;
  text: string;
  updated_at: string;
}

/**
 * PostgreSQL only; SQLite keeps the index in the FTS5 table `chat_message_fts`.
 * Besides the folded text (and its generated, GIN-indexed `tsv`), a copy of
 * what search filters and orders on, so it never reads chat_messages per candidate.
 */
export interface ChatMessageSearchTable {
  message_id: string;
  room_id: string;
  folded: string;
  created_at: string;
  author_id: string | null;
  has_file: number;
  has_link: number;
}

// A type alias (not an interface) so that Kysely's withTables<T>() accepts it.
export type ChatTables = {
  chat_rooms: ChatRoomsTable;
  chat_members: ChatMembersTable;
  chat_messages: ChatMessagesTable;
  chat_message_edits: ChatMessageEditsTable;
  chat_mentions: ChatMentionsTable;
  chat_reactions: ChatReactionsTable;
  chat_thread_followers: ChatThreadFollowersTable;
  chat_saved: ChatSavedTable;
  chat_drafts: ChatDraftsTable;
  chat_message_search: ChatMessageSearchTable;
  // The features' tables, declared next to them.
  chat_link_previews: ChatLinkPreviewsTable;
  chat_preview_removals: ChatPreviewRemovalsTable;
  chat_incoming_webhooks: ChatIncomingWebhooksTable;
  chat_outgoing_webhooks: ChatOutgoingWebhooksTable;
  chat_outgoing_deliveries: ChatOutgoingDeliveriesTable;
  chat_slash_commands: ChatSlashCommandsTable;
  chat_response_urls: ChatResponseUrlsTable;
  chat_bots: ChatBotsTable;
  chat_files: ChatFilesTable;
  chat_file_rooms: ChatFileRoomsTable;
  chat_reports: ChatReportsTable;
  chat_mutes: ChatMutesTable;
  chat_retention: ChatRetentionTable;
};

export type ChatDb = Kysely<KernelTables & ChatTables>;

/** The kernel database seen with the chat tables. */
export const chatDb = (k: Kernel): ChatDb => k.db.withTables<ChatTables>();
