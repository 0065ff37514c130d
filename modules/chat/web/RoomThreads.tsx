import { ActionIcon, Menu, Text, Tooltip } from "@mantine/core";
import { IconMessages } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { useChatApi } from "./hooks.ts";
import { formatDate } from "@ensemble/ui";

/** The room's threads, latest reply first; one opens its side panel (fetched when the list is opened). */
export function RoomThreads({ roomId }: { roomId: string }) {
  const { t, i18n } = useTranslation("chat");
  const api = useChatApi();
  const navigate = useNavigate();
  const threads = useQuery({
    queryKey: ["chat", "room-threads", roomId],
    queryFn: () => api.roomThreads(roomId),
    enabled: false,
  });
  const [opened, setOpened] = useState(false);
  const list = useRef<HTMLDivElement>(null);
  // The list arrives after the menu opened (it is fetched then) and replaces the « loading » line: the focus
  // goes to its first thread, as on opening, since Mantine hears the arrows and Esc only inside the menu.
  useEffect(() => {
    const el = list.current;
    if (opened && threads.data && el && !el.contains(document.activeElement))
      el.querySelector<HTMLElement>('[role="menuitem"]:not([data-disabled])')?.focus();
  }, [opened, threads.data]);
  return (
    <Menu position="bottom-end" withinPortal opened={opened} onChange={setOpened} onOpen={() => void threads.refetch()}>
      <Menu.Target>
        <Tooltip label={t("lists.roomThreads")} withinPortal>
          <ActionIcon variant="subtle" aria-label={t("lists.roomThreads")} data-testid="room-threads">
            <IconMessages size={18} aria-hidden="true" />
          </ActionIcon>
        </Tooltip>
      </Menu.Target>
      <Menu.Dropdown maw={360} data-testid="room-threads-list" ref={list}>
        {threads.isFetching && !threads.data && <Menu.Item disabled>{t("room.loading")}</Menu.Item>}
        {threads.data?.items.length === 0 && <Menu.Item disabled>{t("lists.noRoomThreads")}</Menu.Item>}
        {threads.data?.items.map((m) => (
          <Menu.Item
            key={m.id}
            onClick={() => {
              navigate(`/chat/${roomId}?thread=${m.id}&message=${m.id}`);
            }}
          >
            <Text size="xs" fw={700}>
              {m.author?.displayName ?? t("message.unknownAuthor")}{" "}
              <Text span size="xs" c="dimmed" fw={400}>
                {t("thread.replies", { count: m.replyCount })} ·{" "}
                {m.lastReplyAt ? formatDate(m.lastReplyAt, "short", i18n.language) : ""}
              </Text>
            </Text>
            <Text size="sm" lineClamp={2}>
              {m.deletedAt ? t("message.deleted") : m.text}
            </Text>
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
