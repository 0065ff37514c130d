import type { ReportResolution } from "../../shared/events.ts";

/** Moderation: reports, mutes and per-room retention. */
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
