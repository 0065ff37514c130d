import { useState } from "react";
import { Drawer, Tabs } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Room } from "../../shared/schemas.ts";
import { CommandsPanel } from "./CommandsPanel.tsx";
import { IncomingPanel } from "./IncomingPanel.tsx";
import { OutgoingPanel } from "./OutgoingPanel.tsx";

/**
 * The room's integrations. Webhooks belong to the room (its managers);
 * slash commands to the whole organisation (administrators).
 */
export function IntegrationsDrawer({
  room,
  opened,
  onClose,
  manage,
  administer,
}: {
  room: Room;
  opened: boolean;
  onClose: () => void;
  manage: boolean;
  administer: boolean;
}) {
  const { t } = useTranslation("chat");
  const [tab, setTab] = useState<string | null>(null);
  const current = tab ?? (manage ? "incoming" : "commands");
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="md"
      title={t("integrations.title")}
      closeButtonProps={{ "aria-label": t("integrations.close") }}
      data-testid="integrations-drawer"
    >
      <Tabs value={current} onChange={setTab} keepMounted={false}>
        <Tabs.List grow mb="md">
          {manage && <Tabs.Tab value="incoming">{t("integrations.incoming")}</Tabs.Tab>}
          {manage && <Tabs.Tab value="outgoing">{t("integrations.outgoing")}</Tabs.Tab>}
          {administer && <Tabs.Tab value="commands">{t("integrations.commands")}</Tabs.Tab>}
        </Tabs.List>
        {manage && (
          <Tabs.Panel value="incoming">
            <IncomingPanel roomId={room.id} />
          </Tabs.Panel>
        )}
        {manage && (
          <Tabs.Panel value="outgoing">
            <OutgoingPanel roomId={room.id} />
          </Tabs.Panel>
        )}
        {administer && (
          <Tabs.Panel value="commands">
            <CommandsPanel />
          </Tabs.Panel>
        )}
      </Tabs>
    </Drawer>
  );
}
