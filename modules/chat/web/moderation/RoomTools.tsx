import { useState, type ReactNode } from "react";
import { Badge, Menu } from "@mantine/core";
import { IconPlugConnected, IconShieldCheck } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { Room } from "../../shared/schemas.ts";
import { useHost } from "../host.tsx";
import { IntegrationsDrawer } from "../integrations/IntegrationsDrawer.tsx";
import { roomPowers, useOpenReports } from "./api.ts";
import { ModerationDrawer } from "./ModerationDrawer.tsx";

/**
 * The room menu's "Modération" and "Intégrations" entries, for those allowed
 * to use them, and the drawers they open. The header places `items` in its
 * room menu and renders `drawers` once.
 */
export function useRoomTools(
  room: Room,
  onOpenMessage: (messageId: string) => void,
): { items: ReactNode; drawers: ReactNode; any: boolean } {
  const { t } = useTranslation("chat");
  const { me } = useHost();
  const powers = roomPowers(room, me);
  const integrations = powers.manage || powers.administer;
  const [open, setOpen] = useState<"moderation" | "integrations" | null>(null);
  const count = useOpenReports(room.id, powers.moderate).data?.items.length ?? 0;
  const items = (
    <>
      {powers.moderate && (
        <Menu.Item
          leftSection={<IconShieldCheck size={14} aria-hidden="true" />}
          rightSection={
            count > 0 ? (
              <Badge size="xs" color="red" aria-label={t("moderation.openReports", { count })}>
                {count}
              </Badge>
            ) : null
          }
          onClick={() => setOpen("moderation")}
        >
          {t("moderation.menu")}
        </Menu.Item>
      )}
      {integrations && (
        <Menu.Item
          leftSection={<IconPlugConnected size={14} aria-hidden="true" />}
          onClick={() => setOpen("integrations")}
        >
          {t("integrations.menu")}
        </Menu.Item>
      )}
    </>
  );
  const drawers = (
    <>
      {powers.moderate && (
        <ModerationDrawer
          room={room}
          opened={open === "moderation"}
          onClose={() => setOpen(null)}
          onOpenMessage={onOpenMessage}
          canEditRetention={powers.administer}
        />
      )}
      {integrations && (
        <IntegrationsDrawer
          room={room}
          opened={open === "integrations"}
          onClose={() => setOpen(null)}
          manage={powers.manage}
          administer={powers.administer}
        />
      )}
    </>
  );
  return { items, drawers, any: powers.moderate || integrations };
}
