import { Button, Group, ScrollArea, Stack, Text, UnstyledButton, VisuallyHidden } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { get, post } from "../api/client.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import { useDates } from "@ensemble/ui";
import { localize, setUnread, type LocalizedText, type NotificationItem } from "./unread.ts";

export const LIST_KEY = ["notifications", "list"] as const;

/** The notification centre: newest first, open one (marks it read), mark all read, desktop notifications. */
export default function NotificationList({ onOpen }: { onOpen: () => void }) {
  const { t, i18n } = useTranslation();
  const dates = useDates();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const list = useQuery({
    queryKey: LIST_KEY,
    queryFn: () => get<{ items: NotificationItem[]; unreadCount: number }>("/api/notifications?limit=30"),
  });
  const read = useMutation({
    mutationFn: (id: string) => post(`/api/notifications/${id}/read`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: LIST_KEY }),
  });
  const readAll = useMutation({
    mutationFn: () => post("/api/notifications/read-all"),
    onSuccess: () => {
      setUnread(qc, 0);
      void qc.invalidateQueries({ queryKey: LIST_KEY });
    },
  });
  const text = (l: LocalizedText) => localize(i18n, l);
  const canAskDesktop = typeof Notification !== "undefined" && Notification.permission === "default";
  const items = list.data?.items ?? [];

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text fw={700}>{t("notifications.title")}</Text>
        <Button
          size="compact-sm"
          variant="subtle"
          onClick={() => readAll.mutate()}
          disabled={!items.some((n) => !n.readAt)}
        >
          {t("notifications.markAllRead")}
        </Button>
      </Group>
      <ProblemAlert error={list.error ?? read.error ?? readAll.error} />
      {list.data && items.length === 0 && <Text c="dimmed">{t("notifications.empty")}</Text>}
      <ScrollArea.Autosize mah={360}>
        <Stack gap={4}>
          {items.map((n) => (
            <UnstyledButton
              key={n.id}
              p="xs"
              style={{ borderRadius: 8, background: n.readAt ? undefined : "var(--mantine-color-brand-light)" }}
              onClick={() => {
                if (!n.readAt) read.mutate(n.id);
                if (n.link) {
                  onOpen();
                  navigate(n.link);
                }
              }}
            >
              {/* The name is what the button shows (title, text, date); « unread » is said, not only drawn. */}
              {!n.readAt && <VisuallyHidden>{`${t("notifications.unread")} — `}</VisuallyHidden>}
              <Text size="sm" fw={n.readAt ? 400 : 700}>
                {text(n.title)}
              </Text>
              {n.body && <Text size="sm">{text(n.body)}</Text>}
              <Text size="xs" c="dimmed" component="time" dateTime={n.createdAt} data-testid="notification-time">
                {dates.when(n.createdAt)}
              </Text>
            </UnstyledButton>
          ))}
        </Stack>
      </ScrollArea.Autosize>
      {canAskDesktop && (
        <Button size="xs" variant="light" onClick={() => void Notification.requestPermission()}>
          {t("notifications.enableDesktop")}
        </Button>
      )}
    </Stack>
  );
}
