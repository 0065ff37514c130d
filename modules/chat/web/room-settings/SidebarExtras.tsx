import { useState, type ReactNode } from "react";
import "./room-settings.css";
import { ActionIcon, Menu, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDots, IconEyeOff, IconSortDescending } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Room, SidebarSection } from "../../shared/schemas.ts";
import { keys } from "../cache.ts";
import { useHost } from "../host.tsx";
import { useProblemText } from "../i18n.ts";
import { hiddenRooms } from "./hidden-rooms.ts";
import { useRoomSettingsApi } from "./room-api.ts";
import { useUnreadFirst } from "./unread-first.ts";

/** The sidebar's "unread first" switch: remembered on this device, and the sidebar is fetched again in that order. */
export function UnreadFirstToggle() {
  const { t } = useTranslation("chat");
  const { me } = useHost();
  const qc = useQueryClient();
  const [on, set] = useUnreadFirst(me.id);
  return (
    <Tooltip label={t("roomSettings.sidebar.unreadFirst")} withinPortal>
      <ActionIcon
        variant={on ? "light" : "subtle"}
        aria-pressed={on}
        aria-label={t("roomSettings.sidebar.unreadFirst")}
        data-testid="unread-first"
        onClick={() => {
          set(!on);
          void qc.invalidateQueries({ queryKey: keys.sidebar });
        }}
      >
        <IconSortDescending size={16} aria-hidden="true" />
      </ActionIcon>
    </Tooltip>
  );
}

const hasUnread = (r: Room) => (r.membership?.unread ?? 0) > 0;

/**
 * With "unread first", rooms with unread messages go to the top of their
 * section (the server sorts the same way; this keeps the order right while
 * live messages arrive between fetches). Stable otherwise.
 */
export function useSections(sections: SidebarSection[] | undefined): SidebarSection[] | undefined {
  const { me } = useHost();
  const [on] = useUnreadFirst(me.id);
  if (!sections || !on) return sections;
  return sections.map((s) => ({
    ...s,
    rooms: [...s.rooms.filter(hasUnread), ...s.rooms.filter((r) => !hasUnread(r))],
  }));
}

/** A room in the sidebar with its actions: the "⋯" beside the link (not inside it), or a right click on the row. */
export function SidebarRow({ room, label, children }: { room: Room; label: string; children: ReactNode }) {
  const [opened, setOpened] = useState(false);
  return (
    <div
      className="chat-sidebar-row"
      onContextMenu={(e) => {
        e.preventDefault();
        setOpened(true);
      }}
    >
      {children}
      {room.membership && <RoomRowMenu room={room} label={label} opened={opened} setOpened={setOpened} />}
    </div>
  );
}

function RoomRowMenu({
  room,
  label,
  opened,
  setOpened,
}: {
  room: Room;
  label: string;
  opened: boolean;
  setOpened: (o: boolean) => void;
}) {
  const { t } = useTranslation("chat");
  const api = useRoomSettingsApi();
  const qc = useQueryClient();
  const problem = useProblemText();
  const hide = async () => {
    try {
      qc.setQueryData(keys.room(room.id), await api.hide(room.id, true));
      hiddenRooms.add(room.id);
      await qc.invalidateQueries({ queryKey: keys.sidebar });
      notifications.show({ message: t("roomSettings.hidden") });
    } catch (e) {
      notifications.show({ color: "red", message: problem(e) });
    }
  };
  return (
    <Menu opened={opened} onChange={setOpened} position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon
          variant="subtle"
          size="sm"
          className="chat-row-menu"
          aria-label={t("roomSettings.sidebar.actions", { room: label })}
          data-testid="sidebar-room-menu"
        >
          <IconDots size={14} aria-hidden="true" />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item
          leftSection={<IconEyeOff size={14} aria-hidden="true" />}
          onClick={() => void hide()}
          data-testid="sidebar-hide"
        >
          {t("roomSettings.hide")}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
