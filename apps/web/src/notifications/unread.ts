import { useQuery, type QueryClient } from "@tanstack/react-query";
import type { i18n } from "i18next";
import { get } from "../api/client.ts";
import type { Notification } from "@ensemble/protocol/wire/notifications";

export const UNREAD_KEY = ["notifications", "unread"] as const;

/** The unread count: fetched once, then kept live by the realtime events on `user:<me>`. */
export function useUnreadCount(enabled: boolean) {
  return useQuery({
    queryKey: UNREAD_KEY,
    queryFn: async () => (await get<{ unreadCount: number }>("/api/notifications/unread-count")).unreadCount,
    enabled,
    staleTime: Infinity,
  });
}

/** The installed app's badge follows the unread count (where the browser supports it). */
export function setUnread(qc: QueryClient, count: number): void {
  qc.setQueryData(UNREAD_KEY, count);
  const nav = navigator as Navigator & {
    setAppBadge?: (n?: number) => Promise<void>;
    clearAppBadge?: () => Promise<void>;
  };
  if (count > 0) void nav.setAppBadge?.(count).catch(() => {});
  else void nav.clearAppBadge?.().catch(() => {});
}

export type LocalizedText = Notification["title"];

/**
 * A notification's text in the reader's language. A key whose first part names a module (`chat.notification.
 * mention`) is looked up in that module's labels (its manifest, loaded with the shell), any other in the
 * shell's; the server's rendered `text` when neither has it.
 */
export function localize(i18n: i18n, l: LocalizedText): string {
  const [ns, ...rest] = l.key.split(".");
  const own = rest.join(".");
  if (ns && own && i18n.exists(own, { ns })) return i18n.t(own, { ns, ...l.params });
  return i18n.exists(l.key) ? i18n.t(l.key, l.params ?? {}) : l.text;
}

export type NotificationItem = Notification;
