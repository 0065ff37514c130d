import { useState } from "react";
import { Anchor, Group, Stack, Table, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { get } from "../api/client.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import { useDates } from "@ensemble/ui";
import type { AuditEntry } from "@ensemble/protocol/wire/audit";

type Entry = AuditEntry;

/** The audit log, newest first, filtered by action (a prefix ending in * works too), with a CSV export. */
export function AuditTab() {
  const { t } = useTranslation();
  const dates = useDates();
  const [action, setAction] = useState("");
  const [filter] = useDebouncedValue(action.trim(), 300);
  const valid = filter === "" || /^[a-z0-9_.]+\*?$/.test(filter);
  const query = valid && filter ? `&action=${encodeURIComponent(filter)}` : "";
  const log = useQuery({
    queryKey: ["audit", query],
    queryFn: () => get<{ items: Entry[] }>(`/api/admin/audit?limit=100${query}`),
  });
  return (
    <Stack>
      <Group align="end" justify="space-between">
        <TextInput
          label={t("admin.audit.action")}
          description={t("admin.audit.actionHint")}
          value={action}
          onChange={(e) => setAction(e.currentTarget.value)}
          error={valid ? undefined : t("problems.validation")}
          w={320}
        />
        <Anchor href={`/api/admin/audit.csv?${query.slice(1)}`} download>
          {t("admin.audit.export")}
        </Anchor>
      </Group>
      <ProblemAlert error={log.error} />
      {log.data?.items.length === 0 && <Text>{t("admin.noResults")}</Text>}
      <Table.ScrollContainer minWidth={720}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("admin.audit.when")}</Table.Th>
              <Table.Th>{t("admin.audit.who")}</Table.Th>
              <Table.Th>{t("admin.audit.action")}</Table.Th>
              <Table.Th>{t("admin.audit.target")}</Table.Th>
              <Table.Th>{t("settings.address")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {log.data?.items.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>{dates.format(e.at, "dateTime")}</Table.Td>
                <Table.Td>{e.actor?.username ?? "—"}</Table.Td>
                <Table.Td>
                  <code>{e.action}</code>
                </Table.Td>
                <Table.Td>{e.target ? `${e.target.type} ${e.target.id.slice(0, 8)}…` : "—"}</Table.Td>
                <Table.Td>{e.ip ?? "—"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
