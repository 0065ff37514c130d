import { useEffect, useEffectEvent, useRef, useState, type ReactNode } from "react";
import { ActionIcon, Menu, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDots, IconEyeOff, IconSettings } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Room } from "../../shared/schemas.ts";
import { keys } from "../cache.ts";
import { useProblemText } from "../i18n.ts";
import { hiddenRooms } from "./hidden-rooms.ts";
import { useRoomSettingsApi } from "./room-api.ts";
import "./room-settings.css";
import { RoomSettingsModal } from "./RoomSettingsModal.tsx";

/**
 * The room's "⋯" menu in its header: settings and hide, then whatever other
 * parts of the chat add as `children` (<Menu.Item>s: moderation, integrations…).
 * Opening a hidden room shows it in the sidebar again.
 */
export function RoomMenu({ room, children }: { room: Room; children?: ReactNode }) {
  const { t } = useTranslation("chat");
  const api = useRoomSettingsApi();
  const qc = useQueryClient();
  const problem = useProblemText();
  const [settings, setSettings] = useState(false);
  const hidden = room.membership?.hidden ?? false;

  const setHidden = async (on: boolean, quiet = false) => {
    try {
      qc.setQueryData(keys.room(room.id), await api.hide(room.id, on));
      if (on) hiddenRooms.add(room.id);
      else hiddenRooms.remove(room.id);
      void qc.invalidateQueries({ queryKey: keys.sidebar });
      if (!quiet) notifications.show({ message: on ? t("roomSettings.hidden") : t("roomSettings.shown") });
    } catch (e) {
      notifications.show({ color: "red", message: problem(e) });
    }
  };

  // Only when the room is opened (this menu mounts with the room): hiding the open room keeps it hidden.
  const opened = useRef(false);
  const unhideOnOpen = useEffectEvent(() => {
    if (hidden) void setHidden(false, true);
  });
  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    unhideOnOpen();
  }, []);

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Tooltip label={t("roomSettings.menu")} withinPortal>
            <ActionIcon variant="subtle" aria-label={t("roomSettings.menu")} data-testid="room-menu">
              <IconDots size={18} aria-hidden="true" />
            </ActionIcon>
          </Tooltip>
        </Menu.Target>
        <Menu.Dropdown>
          {room.type !== "dm" && (
            <Menu.Item leftSection={<IconSettings size={16} aria-hidden="true" />} onClick={() => setSettings(true)}>
              {t("roomSettings.open")}
            </Menu.Item>
          )}
          {room.membership && !hidden && (
            <Menu.Item leftSection={<IconEyeOff size={16} aria-hidden="true" />} onClick={() => void setHidden(true)}>
              {t("roomSettings.hide")}
            </Menu.Item>
          )}
          {children && (
            <>
              <Menu.Divider />
              {children}
            </>
          )}
        </Menu.Dropdown>
      </Menu>
      {room.type !== "dm" && <RoomSettingsModal room={room} opened={settings} onClose={() => setSettings(false)} />}
    </>
  );
}
