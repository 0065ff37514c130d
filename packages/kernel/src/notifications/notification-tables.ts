export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  actor_id: string | null;
  /** JSON LocalizedText. */
  title: string;
  /** JSON LocalizedText or null. */
  body: string | null;
  link: string | null;
  importance: "low" | "normal" | "high";
  /** JSON object. */
  data: string;
  /** Delivered once per (user, key). */
  source_key: string;
  /** Shown in the notification centre (0 when the user turned in-app off for this kind). */
  in_app: number;
  /** Wanted in the e-mail digest if still unread. */
  email: number;
  /** What happened to the push: sent, coalesced, dnd, off, none, failed. */
  push_state: string;
  created_at: string;
  read_at: string | null;
  emailed_at: string | null;
}

export interface PushSubscriptionsTable {
  id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  user_agent: string;
  created_at: string;
  last_used_at: string | null;
}

export interface NotificationPrefsTable {
  user_id: string;
  /** JSON StoredPrefs. */
  prefs: string;
  /** When the last push went out: at most one per burst. */
  last_push_at: string | null;
  updated_at: string;
}

// A type alias (not an interface) so that Kysely's withTables<T>() accepts it.
export type NotificationTables = {
  notifications: NotificationsTable;
  push_subscriptions: PushSubscriptionsTable;
  notification_prefs: NotificationPrefsTable;
};
