import { useEffect, useEffectEvent } from "react";
import { Alert } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { Branding } from "../api/types.ts";
import { follow, useConnectionState } from "../lib/realtime.ts";
import { localize, setUnread, type LocalizedText, type NotificationItem } from "../notifications/unread.ts";
import type { NotificationCreatedPayload, NotificationReadPayload } from "@ensemble/protocol/wire/notifications";

/** What the `user:` topic carries for notifications (created or read), inferred from the events' schemas. */
type NotificationEvent = Partial<NotificationCreatedPayload & NotificationReadPayload>;

/**
 * Opens the realtime connection once signed in, keeps the profile in step
 * with changes made elsewhere (another tab, an admin), and says when the
 * connection is being re-established.
 */
export function RealtimeBridge({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const state = useConnectionState(true);
  const navigate = useNavigate();
  const { i18n } = useTranslation();
  /** A desktop notification when the tab is in the background and the person allowed them. An effect event: the subscription below is not renewed when navigate changes. */
  const desktop = useEffectEvent((n: NotificationItem) => {
    if (typeof Notification === "undefined" || Notification.permission !== "granted" || !document.hidden) return;
    const text = (l: LocalizedText) => localize(i18n, l);
    const shown = new Notification(text(n.title), { body: n.body ? text(n.body) : "", tag: n.id });
    shown.onclick = () => {
      window.focus();
      if (n.link) navigate(n.link);
      shown.close();
    };
  });
  useEffect(() => {
    // The organisation's branding, pushed when an administrator changes it: the theme follows at once.
    let stop: (() => void) | null = null;
    let live = true;
    void follow<Branding>("org:branding", {
      onEvent: (e) => qc.setQueryData(["branding"], e.payload),
      onResync: () => void qc.invalidateQueries({ queryKey: ["branding"] }),
    }).then((unfollow) => (live ? (stop = unfollow) : unfollow()));
    return () => {
      live = false;
      stop?.();
    };
  }, [qc]);
  useEffect(() => {
    let stop: (() => void) | null = null;
    let live = true;
    void follow<NotificationEvent>(`user:${userId}`, {
      onEvent: (e) => {
        if (e.name.startsWith("accounts.user.")) void qc.invalidateQueries({ queryKey: ["me"] });
        if (e.name.startsWith("notifications.notification.")) {
          if (typeof e.payload.unreadCount === "number") setUnread(qc, e.payload.unreadCount);
          void qc.invalidateQueries({ queryKey: ["notifications", "list"] });
        }
        if (e.name === "notifications.notification.created" && e.payload.notification) desktop(e.payload.notification);
      },
      onResync: () => {
        void qc.invalidateQueries({ queryKey: ["me"] });
        void qc.invalidateQueries({ queryKey: ["notifications"] });
      },
    }).then((unfollow) => (live ? (stop = unfollow) : unfollow()));
    return () => {
      live = false;
      stop?.();
    };
  }, [userId, qc]);
  if (state !== "reconnecting" || !navigator.onLine) return null;
  return (
    <Alert color="yellow" variant="light" radius={0} role="status" data-testid="reconnecting-banner">
      {t("app.reconnecting")}
    </Alert>
  );
}
