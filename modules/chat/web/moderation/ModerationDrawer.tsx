import { useState } from "react";
import { Badge, Drawer, Tabs } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Room } from "../../shared/schemas.ts";
import { useOpenReports } from "./api.ts";
import { MutesPanel } from "./MutesPanel.tsx";
import { ReportsPanel } from "./ReportsPanel.tsx";
import { RetentionPanel } from "./RetentionPanel.tsx";

/** The room's moderation: reports to handle, muted members, how long messages are kept. */
export function ModerationDrawer({
  room,
  opened,
  onClose,
  onOpenMessage,
  canEditRetention,
}: {
  room: Room;
  opened: boolean;
  onClose: () => void;
  onOpenMessage: (messageId: string) => void;
  canEditRetention: boolean;
}) {
  const { t } = useTranslation("chat");
  const [tab, setTab] = useState<string | null>("reports");
  const open = useOpenReports(room.id, opened).data?.items.length ?? 0;
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="md"
      title={t("moderation.title")}
      closeButtonProps={{ "aria-label": t("moderation.close") }}
      data-testid="moderation-drawer"
    >
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List grow mb="md">
          <Tabs.Tab
            value="reports"
            rightSection={
              open > 0 ? (
                <Badge size="xs" circle>
                  {open}
                </Badge>
              ) : null
            }
          >
            {t("moderation.reports")}
          </Tabs.Tab>
          <Tabs.Tab value="mutes">{t("moderation.mutes")}</Tabs.Tab>
          <Tabs.Tab value="retention">{t("moderation.retention")}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="reports">
          <ReportsPanel
            roomId={room.id}
            onOpenMessage={(id) => {
              // The timeline is under the drawer: close it so the message shows in its place.
              onClose();
              onOpenMessage(id);
            }}
          />
        </Tabs.Panel>
        <Tabs.Panel value="mutes">
          <MutesPanel roomId={room.id} />
        </Tabs.Panel>
        <Tabs.Panel value="retention">
          <RetentionPanel roomId={room.id} canEdit={canEditRetention} />
        </Tabs.Panel>
      </Tabs>
    </Drawer>
  );
}
