import { useEffect } from "react";
import { Alert } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { follow, useConnectionState } from "../lib/realtime.ts";

/**
 * Opens the realtime connection once signed in, keeps the profile in step
 * with changes made elsewhere (another tab, an admin), and says when the
 * connection is being re-established.
 */
export function RealtimeBridge({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const state = useConnectionState(true);
  useEffect(() => {
    // The organisation's branding, pushed when an administrator changes it: the theme follows at once.
    let stop: (() => void) | null = null;
    let live = true;
    void follow<{ brandName: string; brandColor: string; defaultLocale: "fr" | "en" }>("org:branding", {
      onEvent: (e) => qc.setQueryData(["branding"], { name: e.payload.brandName, color: e.payload.brandColor, defaultLocale: e.payload.defaultLocale }),
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
    void follow(`user:${userId}`, {
      onEvent: (e) => {
        if (e.name.startsWith("accounts.user.")) void qc.invalidateQueries({ queryKey: ["me"] });
      },
      onResync: () => void qc.invalidateQueries({ queryKey: ["me"] }),
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
