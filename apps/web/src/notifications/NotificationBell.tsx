import { lazy, Suspense, useState } from "react";
import { ActionIcon, Indicator, Popover } from "@mantine/core";
import { IconBell } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { useUnreadCount } from "./unread.ts";

// The list is fetched the first time the bell is opened.
const NotificationList = lazy(() => import("./NotificationList.tsx"));

/** The bell in the header: unread count, and the notification centre in a popover. */
export function NotificationBell() {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const unread = useUnreadCount(true).data ?? 0;
  const shown = unread > 99 ? "99+" : String(unread);
  return (
    // 380 px, narrower on a phone: the whole list stays inside the screen.
    <Popover
      opened={opened}
      onChange={setOpened}
      position="bottom-end"
      width="clamp(240px, calc(100vw - 16px), 380px)"
      shadow="md"
      withinPortal
      trapFocus
    >
      <Popover.Target>
        <ActionIcon
          variant="white"
          color="dark"
          size="lg"
          onClick={() => setOpened((o) => !o)}
          // The name starts with the count shown on the bell (WCAG 2.5.3, label in name).
          aria-label={unread ? t("notifications.bellUnread", { shown }) : t("notifications.bell")}
        >
          <Indicator label={shown} size={16} disabled={unread === 0} color="red" offset={-2} data-testid="unread-count">
            <IconBell size={20} aria-hidden="true" />
          </Indicator>
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown role="dialog" aria-label={t("notifications.title")}>
        {opened && (
          <Suspense fallback={null}>
            <NotificationList onOpen={() => setOpened(false)} />
          </Suspense>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
