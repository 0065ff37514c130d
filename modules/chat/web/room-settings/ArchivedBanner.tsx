import { Alert } from "@mantine/core";
import { IconArchive } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

/** In place of the composer in an archived room: it is read, not written in. */
export function ArchivedBanner() {
  const { t } = useTranslation("chat");
  return (
    <Alert
      m="sm"
      variant="light"
      color="gray"
      icon={<IconArchive size={18} aria-hidden="true" />}
      role="status"
      data-testid="archived-banner"
    >
      {t("roomSettings.archive.banner")}
    </Alert>
  );
}
