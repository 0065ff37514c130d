/** Integrations: incoming and outgoing webhooks, their deliveries, slash commands, response URLs, bots. */
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
