import { Stack, Tabs, Title } from "@mantine/core";
import { useNavigate, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { ModuleTabList, ModuleTabPanels, moduleTabs, useTabTitle } from "../modules/ModuleTabs.tsx";
import { ProfileTab } from "./ProfileTab.tsx";
import { PreferencesTab } from "./PreferencesTab.tsx";
import { PasswordTab } from "./PasswordTab.tsx";
import { NotificationsTab } from "./NotificationsTab.tsx";
import { SessionsTab } from "./SessionsTab.tsx";
import { TokensTab } from "./TokensTab.tsx";
import { TwoFactorTab } from "./TwoFactorTab.tsx";

const TABS = ["profile", "preferences", "notifications", "password", "sessions", "tokens", "two-factor"] as const;
const LABEL: Record<(typeof TABS)[number], string> = {
  profile: "settings.tabs.profile",
  preferences: "settings.tabs.preferences",
  notifications: "settings.tabs.notifications",
  password: "settings.tabs.password",
  sessions: "settings.tabs.sessions",
  tokens: "settings.tabs.tokens",
  "two-factor": "settings.tabs.twoFactor",
};

const MODULE_TABS = moduleTabs((m) => m.settingsTabs);
const VALUES: readonly string[] = [...TABS, ...MODULE_TABS.map((m) => m.value)];

/** Profile and security settings, one tab per concern, the tab in the URL. */
export default function SettingsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { tab } = useParams();
  const current = VALUES.includes(tab ?? "") ? tab : "profile";
  const own = TABS.find((k) => k === current);
  useTabTitle(current, own && LABEL[own], MODULE_TABS);
  return (
    <Stack>
      <Title order={1}>{t("settings.title")}</Title>
      <Tabs
        value={current}
        onChange={(v) => {
          if (v) navigate(`/settings/${v}`);
        }}
        keepMounted={false}
      >
        <Tabs.List>
          {TABS.map((k) => (
            <Tabs.Tab key={k} value={k}>
              {t(LABEL[k])}
            </Tabs.Tab>
          ))}
          <ModuleTabList tabs={MODULE_TABS} />
        </Tabs.List>
        <Tabs.Panel value="profile" pt="lg">
          <ProfileTab />
        </Tabs.Panel>
        <Tabs.Panel value="preferences" pt="lg">
          <PreferencesTab />
        </Tabs.Panel>
        <Tabs.Panel value="notifications" pt="lg">
          <NotificationsTab />
        </Tabs.Panel>
        <Tabs.Panel value="password" pt="lg">
          <PasswordTab />
        </Tabs.Panel>
        <Tabs.Panel value="sessions" pt="lg">
          <SessionsTab />
        </Tabs.Panel>
        <Tabs.Panel value="tokens" pt="lg">
          <TokensTab />
        </Tabs.Panel>
        <Tabs.Panel value="two-factor" pt="lg">
          <TwoFactorTab />
        </Tabs.Panel>
        <ModuleTabPanels tabs={MODULE_TABS} />
      </Tabs>
    </Stack>
  );
}
