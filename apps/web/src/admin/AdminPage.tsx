import { Stack, Tabs, Title } from "@mantine/core";
import { useNavigate, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { UsersTab } from "./UsersTab.tsx";
import { GroupsTab } from "./GroupsTab.tsx";
import { InvitationsTab } from "./InvitationsTab.tsx";
import { OrgSettingsTab } from "./OrgSettingsTab.tsx";
import { AuditTab } from "./AuditTab.tsx";
import { StatusTab } from "./StatusTab.tsx";

const TABS = ["users", "groups", "invitations", "settings", "audit", "status"] as const;

/** The administration console (admins only; the server enforces it on every call). */
export default function AdminPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { tab } = useParams();
  const current = (TABS as readonly string[]).includes(tab ?? "") ? (tab as (typeof TABS)[number]) : "users";
  return (
    <Stack>
      <Title order={1}>{t("admin.title")}</Title>
      <Tabs value={current} onChange={(v) => v && navigate(`/admin/${v}`)} keepMounted={false}>
        <Tabs.List>
          {TABS.map((k) => (
            <Tabs.Tab key={k} value={k}>
              {t(`admin.tabs.${k}`)}
            </Tabs.Tab>
          ))}
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
      </Tabs>
    </Stack>
  );
}
