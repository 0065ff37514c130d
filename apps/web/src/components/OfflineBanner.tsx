import { useEffect, useState } from "react";
import { Alert } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** Tells people when the browser has lost the network; the shell keeps working from the service worker's cache. */
export function OfflineBanner() {
  const { t } = useTranslation();
  const [online, setOnline] = useState(() => navigator.onLine);
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
  if (online) return null;
  return (
    <Alert color="yellow" variant="filled" radius={0} role="status" data-testid="offline-banner">
      {t("app.offline")}
    </Alert>
  );
}
