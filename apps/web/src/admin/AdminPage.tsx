import { Stack, Tabs, Title } from "@mantine/core";
import { useNavigate, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { ModuleTabList, ModuleTabPanels, moduleTabs, useTabTitle } from "../modules/ModuleTabs.tsx";
import { UsersTab } from "./UsersTab.tsx";
import { GroupsTab } from "./GroupsTab.tsx";
import { InvitationsTab } from "./InvitationsTab.tsx";
import { OrgSettingsTab } from "./OrgSettingsTab.tsx";
import { AuditTab } from "./AuditTab.tsx";
import { StatusTab } from "./StatusTab.tsx";

const TABS = ["users", "groups", "invitations", "settings", "audit", "status"] as const;

const MODULE_TABS = moduleTabs((m) => m.adminTabs);
const VALUES: readonly string[] = [...TABS, ...MODULE_TABS.map((m) => m.value)];

/** The administration console (admins only; the server enforces it on every call). */
export default function AdminPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { tab } = useParams();
  const current = VALUES.includes(tab ?? "") ? tab : "users";
  const own = TABS.find((k) => k === current);
  useTabTitle(current, own && `admin.tabs.${own}`, MODULE_TABS);
  return (
    <Stack>
      <Title order={1}>{t("admin.title")}</Title>
      <Tabs
        value={current}
        onChange={(v) => {
          if (v) navigate(`/admin/${v}`);
        }}
        keepMounted={false}
      >
        <Tabs.List>
          {TABS.map((k) => (
            <Tabs.Tab key={k} value={k}>
              {t(`admin.tabs.${k}`)}
            </Tabs.Tab>
          ))}
          <ModuleTabList tabs={MODULE_TABS} />
        </Tabs.List>
        <Tabs.Panel value="users" pt="lg">
          <UsersTab />
        </Tabs.Panel>
        <Tabs.Panel value="groups" pt="lg">
          <GroupsTab />
        </Tabs.Panel>
        <Tabs.Panel value="invitations" pt="lg">
          <InvitationsTab />
        </Tabs.Panel>
        <Tabs.Panel value="settings" pt="lg">
          <OrgSettingsTab />
        </Tabs.Panel>
        <Tabs.Panel value="audit" pt="lg">
          <AuditTab />
        </Tabs.Panel>
        <Tabs.Panel value="status" pt="lg">
          <StatusTab />
        </Tabs.Panel>
        <ModuleTabPanels tabs={MODULE_TABS} />
      </Tabs>
    </Stack>
  );
}
