import { ActionIcon, Avatar, Group, Menu, Popover, ScrollArea, Stack, Text, Title, Tooltip } from "@mantine/core";
import { IconBell, IconBellOff, IconPin, IconStar, IconStarFilled, IconUsers } from "@tabler/icons-react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { usePageTitle } from "@ensemble/ui";
import type { Room } from "../shared/schemas.ts";
import { keys } from "./cache.ts";
import { CallButton } from "./CallButton.tsx";
import { roomLabel, useChatApi, useMembers } from "./hooks.ts";
import { useHost } from "./host.tsx";
import { PresenceDot } from "./PresenceDot.tsx";
import { useRoomTools } from "./moderation/RoomTools.tsx";
import { RoomAvatar } from "./room-settings/RoomAvatar.tsx";
import { RoomMenu } from "./room-settings/RoomMenu.tsx";
import { ROLE_BADGE } from "./role-badge.ts";
import { RoomThreads } from "./RoomThreads.tsx";
import { SidebarOpener } from "./Sidebar.tsx";

/** Name, topic, members, favourite and mute, pinned messages; the burger opens the sidebar on a phone. */
export function RoomHeader({
  room,
  onMenu,
  onOpenMessage,
}: {
  room: Room;
  onMenu: () => void;
  onOpenMessage: (id: string) => void;
}) {
  const { t } = useTranslation("chat");
  const api = useChatApi();
  const qc = useQueryClient();
  const { me } = useHost();
  const members = useMembers(room.id);
  const pins = useQuery({ queryKey: keys.pins(room.id), queryFn: () => api.pins(room.id) });
  const tools = useRoomTools(room, onOpenMessage);
  const fav = room.membership?.favourite ?? false;
  const muted = room.membership?.muted ?? false;
  const setPref = async (p: { favourite?: boolean; muted?: boolean }) => {
    await api.preferences(room.id, p);
    void qc.invalidateQueries({ queryKey: keys.room(room.id) });
    void qc.invalidateQueries({ queryKey: keys.sidebar });
  };
  const membersTitle = useId();
  const name = roomLabel(room, me.id);
  const title = room.type === "dm" ? name : `${room.type === "channel" ? "#" : "🔒 "}${room.slug ?? name}`;
  // « #projet-tramway — Discutons — Métropole »; the shell moves the focus to this heading on a change of room.
  usePageTitle(title);
  return (
    <Group className="chat-header" justify="space-between" wrap="wrap" gap="xs">
      <Group gap="xs" wrap="nowrap" className="chat-header-title">
        <SidebarOpener onMenu={onMenu} />
        {room.avatarUrl && <RoomAvatar room={room} size={32} />}
        <div style={{ minWidth: 0 }}>
          <Title order={2} size="h4" className="chat-title" data-testid="room-title" data-page-heading>
            {title}
          </Title>
          {room.type !== "dm" && room.name !== room.slug && (
            <Text size="xs" fw={600} truncate data-testid="room-name">
              {room.name}
            </Text>
          )}
          {room.topic && (
            <Text size="xs" c="dimmed" truncate data-testid="room-topic">
              {room.topic}
            </Text>
          )}
        </div>
      </Group>
      {room.membership && (
        <Group gap={4} wrap="nowrap" className="chat-header-actions">
          {/* The focus goes into the list (Esc closes it) and back to the button; the list is named by its title. */}
          <Popover position="bottom-end" withinPortal shadow="md" trapFocus returnFocus>
            <Popover.Target>
              <Tooltip label={t("room.members", { count: room.memberCount })} withinPortal>
                <ActionIcon variant="subtle" aria-label={t("room.members", { count: room.memberCount })}>
                  <IconUsers size={18} aria-hidden="true" />
                </ActionIcon>
              </Tooltip>
            </Popover.Target>
            <Popover.Dropdown aria-labelledby={membersTitle}>
              <Text size="xs" fw={700} mb={4} id={membersTitle}>
                {t("room.members", { count: room.memberCount })}
              </Text>
              <ScrollArea.Autosize mah={300}>
                <Stack gap={4}>
                  {members.list.map((m) => (
                    <Group key={m.user.id} gap={6} wrap="nowrap">
                      <Avatar size={22} radius="xl" alt="" name={m.user.displayName} />
                      <PresenceDot userId={m.user.id} />
                      <Text size="sm">{m.user.displayName}</Text>
                      {ROLE_BADGE[m.role] && (
                        <Text size="xs" c="dimmed">
                          {t(`roles.${m.role}`)}
                        </Text>
                      )}
                    </Group>
                  ))}
                </Stack>
              </ScrollArea.Autosize>
            </Popover.Dropdown>
          </Popover>
          <CallButton room={room} />
          <RoomThreads roomId={room.id} />
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Tooltip label={t("room.pins")} withinPortal>
                <ActionIcon variant="subtle" aria-label={t("room.pins")}>
                  <IconPin size={18} aria-hidden="true" />
                </ActionIcon>
              </Tooltip>
            </Menu.Target>
            <Menu.Dropdown maw={360}>
              {(pins.data?.items ?? []).length === 0 && <Menu.Item disabled>{t("room.noPins")}</Menu.Item>}
              {(pins.data?.items ?? []).map((m) => (
                <Menu.Item key={m.id} onClick={() => onOpenMessage(m.id)}>
                  <Text size="xs" fw={700}>
                    {m.author?.displayName}
                  </Text>
                  <Text size="sm" lineClamp={2}>
                    {m.text}
                  </Text>
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          <Tooltip label={fav ? t("room.unfavourite") : t("room.favourite")} withinPortal>
            <ActionIcon
              variant="subtle"
              aria-pressed={fav}
              aria-label={t("room.favourite")}
              onClick={() => void setPref({ favourite: !fav })}
            >
              {fav ? <IconStarFilled size={18} aria-hidden="true" /> : <IconStar size={18} aria-hidden="true" />}
            </ActionIcon>
          </Tooltip>
          <Tooltip label={muted ? t("room.unmute") : t("room.mute")} withinPortal>
            <ActionIcon
              variant="subtle"
              aria-pressed={muted}
              aria-label={t("room.mute")}
              onClick={() => void setPref({ muted: !muted })}
            >
              {muted ? <IconBellOff size={18} aria-hidden="true" /> : <IconBell size={18} aria-hidden="true" />}
            </ActionIcon>
          </Tooltip>
          {/* The room menu « ⋯ »: settings and hide; other parts of the chat add their <Menu.Item>s as children. */}
          <RoomMenu room={room}>{tools.any ? tools.items : null}</RoomMenu>
          {tools.drawers}
        </Group>
      )}
    </Group>
  );
}
