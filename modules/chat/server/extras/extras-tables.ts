import type { Kysely } from "kysely";
import type { Kernel, KernelTables } from "@ensemble/kernel";
import type { ReportResolution } from "../../shared/events.ts";
import type { ChatTables } from "../tables.ts";

/** Tables of link previews, integrations, files and moderation (see extras-migrations.ts). */
export interface ChatLinkPreviewsTable {
  url_hash: string;
  url: string;
  data: string | null;
  fetched_at: string;
  expires_at: string;
}

export interface ChatPreviewRemovalsTable {
  message_id: string;
  removed_at: string;
}

export interface ChatIncomingWebhooksTable {
  id: string;
  room_id: string;
  name: string;
  secret_hash: string;
  username: string | null;
  icon_url: string | null;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
}

export interface ChatOutgoingWebhooksTable {
  id: string;
  room_id: string;
  name: string;
  url: string;
  trigger_words: string;
  trigger_when: "first_word" | "starts_with";
  token: string;
  signing_secret: string;
  created_by: string | null;
  created_at: string;
}

export interface ChatOutgoingDeliveriesTable {
  event_id: string;
  hook_id: string;
  status: number;
  delivered_at: string;
}

export interface ChatSlashCommandsTable {
  id: string;
  command: string;
  url: string;
  token: string;
  description: string;
  created_by: string | null;
  created_at: string;
}

export interface ChatResponseUrlsTable {
  token_hash: string;
  room_id: string;
  user_id: string;
  command: string;
  uses: number;
  expires_at: string;
}

export interface ChatBotsTable {
  user_id: string;
  description: string;
  created_by: string | null;
  created_at: string;
}

export interface ChatFilesTable {
  id: string;
  owner_id: string;
  room_id: string;
  message_id: string | null;
  name: string;
  size: number;
  mime_type: string;
  blob_key: string;
  thumb_key: string | null;
  width: number | null;
  height: number | null;
  created_at: string;
}

export interface ChatFileRoomsTable {
  file_id: string;
  room_id: string;
  message_id: string;
  shared_by: string | null;
}

export interface ChatReportsTable {
  id: string;
  room_id: string;
  message_id: string;
  reporter_id: string | null;
  reason: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: ReportResolution | null;
}

export interface ChatMutesTable {
  room_id: string;
  user_id: string;
  until: string | null;
  muted_by: string | null;
  created_at: string;
}

export interface ChatRetentionTable {
  scope: string;
  days: number;
  updated_by: string | null;
  updated_at: string;
}

// A type alias (not an interface) so that Kysely's withTables<T>() accepts it.
export type ChatExtrasTables = ChatTables & {
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

export type ExtrasDb = Kysely<KernelTables & ChatExtrasTables>;

/** The kernel database seen with the chat tables and these. */
export const extrasDb = (k: Kernel): ExtrasDb => k.db.withTables<ChatExtrasTables>();
