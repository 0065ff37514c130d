import { useState } from "react";
import { Modal, Tabs } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useTranslation } from "react-i18next";
import type { Room } from "../../shared/schemas.ts";
import { ArchiveLeaveTab } from "./ArchiveLeaveTab.tsx";
import { GeneralTab } from "./GeneralTab.tsx";
import { MembersTab } from "./MembersTab.tsx";

type Tab = "general" | "members" | "archive";

/** A room's settings in three tabs; full screen on a phone. */
export function RoomSettingsModal({ room, opened, onClose }: { room: Room; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation("chat");
  const phone = useMediaQuery("(max-width: 48em)");
  const [tab, setTab] = useState<Tab>("general");
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t("roomSettings.title", { room: room.name })}
      size="lg"
      fullScreen={phone}
      closeButtonProps={{ "aria-label": t("roomSettings.close") }}
      data-testid="room-settings"
    >
      <Tabs value={tab} onChange={(v) => setTab((v as Tab | null) ?? "general")} keepMounted={false}>
        <Tabs.List grow mb="md">
          <Tabs.Tab value="general">{t("roomSettings.tabs.general")}</Tabs.Tab>
          <Tabs.Tab value="members">{t("roomSettings.tabs.members")}</Tabs.Tab>
          <Tabs.Tab value="archive">{t("roomSettings.tabs.archive")}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="general">
          <GeneralTab room={room} />
        </Tabs.Panel>
        <Tabs.Panel value="members">
          <MembersTab room={room} />
        </Tabs.Panel>
        <Tabs.Panel value="archive">
          <ArchiveLeaveTab room={room} onDone={onClose} />
        </Tabs.Panel>
      </Tabs>
    </Modal>
  );
}
