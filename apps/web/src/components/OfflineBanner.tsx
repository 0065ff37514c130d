import { useEffect, useState, useSyncExternalStore } from "react";
import { Alert } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { serverReachability } from "../api/client.ts";

/** Tells people when the network or the server is gone; the shell keeps working from the service worker's cache. */
export function OfflineBanner() {
  const { t } = useTranslation();
  const [online, setOnline] = useState(() => navigator.onLine);
  const unreachable = useSyncExternalStore(serverReachability.subscribe, serverReachability.unreachable);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener("online", up);
    window.addEventListener("offline", down);
    return () => {
      window.removeEventListener("online", up);
      window.removeEventListener("offline", down);
    };
  }, []);
  if (online && !unreachable) return null;
  return (
    <Alert color="yellow" variant="filled" radius={0} role="status" data-testid="offline-banner">
      {t("app.offline")}
    </Alert>
  );
}
