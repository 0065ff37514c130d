import { Alert, Group, ScrollArea, Stack, Tabs, Title } from "@mantine/core";
import { IconLock } from "@tabler/icons-react";
import { useNavigate, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { useHost } from "../host.tsx";
import { SidebarOpener } from "../Sidebar.tsx";
import { BotsTab } from "./BotsTab.tsx";
import { EmojiTab } from "./EmojiTab.tsx";
import { GeneralTab } from "./GeneralTab.tsx";
import { RetentionTab } from "./RetentionTab.tsx";
import "./admin.css";

const TABS = ["general", "emoji", "bots", "retention"] as const;
type Tab = (typeof TABS)[number];

/**
 * The chat administration area (/chat/admin/<tab>): settings, custom emoji,
 * bots, retention. Shown to administrators; the server refuses everyone else
 * on every call anyway.
 */
export function ChatAdmin({ onMenu }: { onMenu: () => void }) {
  const { t } = useTranslation("chat");
  const { me } = useHost();
  const navigate = useNavigate();
  const param = useParams()["*"] ?? "";
  const current: Tab = (TABS as readonly string[]).includes(param) ? (param as Tab) : "general";
  const header = (
    <Group gap="xs" wrap="nowrap" px="md" py="sm" className="chat-admin-header">
      <SidebarOpener onMenu={onMenu} />
      <Title order={2} size="h4">
        {t("admin.title")}
      </Title>
    </Group>
  );
  if (!me.capabilities.includes("chat.administer")) {
    return (
      <div className="chat-admin" data-testid="chat-admin-refused">
        {header}
        <Alert m="md" color="yellow" icon={<IconLock size={18} aria-hidden="true" />} title={t("admin.refusedTitle")}>
          {t("admin.refused")}
        </Alert>
      </div>
    );
  }
  return (
    <div className="chat-admin" data-testid="chat-admin">
      {header}
      <ScrollArea type="auto" style={{ flex: 1 }}>
        <Stack px="md" pb="xl">
          <Tabs
            value={current}
            onChange={(v) => {
              if (v) navigate(`/chat/admin/${v}`);
            }}
            keepMounted={false}
          >
            <Tabs.List>
              {TABS.map((k) => (
                <Tabs.Tab key={k} value={k}>
                  {t(`admin.tabs.${k}`)}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            <Tabs.Panel value="general" pt="md">
              <GeneralTab />
            </Tabs.Panel>
            <Tabs.Panel value="emoji" pt="md">
              <EmojiTab />
            </Tabs.Panel>
            <Tabs.Panel value="bots" pt="md">
              <BotsTab />
            </Tabs.Panel>
            <Tabs.Panel value="retention" pt="md">
              <RetentionTab />
            </Tabs.Panel>
          </Tabs>
        </Stack>
      </ScrollArea>
    </div>
  );
}
