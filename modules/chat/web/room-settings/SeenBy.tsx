import { Avatar, Group, Popover, Stack, Text, UnstyledButton } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { settingsKeys, useRoomSettingsApi } from "./room-api.ts";

/** Whether read receipts are on for the organisation (the chat settings; rarely changes). */
export function useReadReceipts(): boolean {
  const api = useRoomSettingsApi();
  const q = useQuery({ queryKey: settingsKeys.chatSettings, queryFn: api.settings, staleTime: 60_000 });
  return q.data?.readReceipts === true;
}

/**
 * "Seen by N" under one's own latest message, with the readers' faces; the
 * list on click. Refreshed by `chat.read.updated` on the room (LiveRooms), and
 * when opened. Nothing at all when read receipts are off.
 */
export function SeenBy({ roomId, messageId }: { roomId: string; messageId: string }) {
  const { t } = useTranslation("chat");
  const api = useRoomSettingsApi();
  const on = useReadReceipts();
  const titleId = useId();
  const seen = useQuery({
    queryKey: settingsKeys.seen(roomId, messageId),
    queryFn: () => api.seen(messageId),
    enabled: on,
    retry: false,
  });
  const people = seen.data?.items ?? [];
  if (!on || people.length === 0) return null;
  const label = t("roomSettings.seen.count", { count: people.length });
  return (
    <Group justify="flex-end" px="md" pb={2}>
      {/* The focus goes into the list (Esc closes it) and back to the button; the list is named by its title. */}
      <Popover position="top-end" withinPortal shadow="md" trapFocus returnFocus onOpen={() => void seen.refetch()}>
        <Popover.Target>
          {/* Named by its visible text alone: the avatars' initials are hidden from the name (WCAG 2.5.3). */}
          <UnstyledButton className="chat-seen-by" data-testid="seen-by" data-count={people.length}>
            <Group gap={4} wrap="nowrap">
              <Avatar.Group spacing={6} aria-hidden>
                {people.slice(0, 3).map((p) => (
                  <Avatar key={p.id} size={16} radius="xl" alt="" name={p.displayName} />
                ))}
              </Avatar.Group>
              <Text size="xs" c="dimmed" span>
                {label}
              </Text>
            </Group>
          </UnstyledButton>
        </Popover.Target>
        <Popover.Dropdown aria-labelledby={titleId}>
          <Text size="xs" fw={700} mb={4} id={titleId}>
            {t("roomSettings.seen.title")}
          </Text>
          <Stack gap={2} data-testid="seen-by-list">
            {people.map((p) => (
              <Text key={p.id} size="sm">
                {p.displayName}
              </Text>
            ))}
          </Stack>
        </Popover.Dropdown>
      </Popover>
    </Group>
  );
}
