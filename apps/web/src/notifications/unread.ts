import { useQuery, type QueryClient } from "@tanstack/react-query";
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

export type NotificationItem = Notification;
