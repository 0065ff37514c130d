import { Badge, Button, Group, Stack, Table, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { del, get, post } from "../api/client.ts";
import { useMe } from "../api/session.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import { formatDateTime } from "../lib/format.ts";
import type { Session } from "@ensemble/protocol/wire/accounts";

export function SessionsTab() {
  const { t, i18n } = useTranslation();
  const tz = useMe().data?.timeZone;
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ["sessions"], queryFn: () => get<{ sessions: Session[] }>("/api/me/sessions") });
  const refresh = () => qc.invalidateQueries({ queryKey: ["sessions"] });
  const revoke = useMutation({ mutationFn: (id: string) => del(`/api/me/sessions/${id}`), onSuccess: refresh });
  const revokeOthers = useMutation({
    mutationFn: () => post<{ revoked: number }>("/api/me/sessions/revoke-all", { includeCurrent: false }),
    onSuccess: (r) => {
      notifications.show({ message: t("settings.revokedCount", { count: r.revoked }) });
      void refresh();
    },
  });
  return (
    <Stack>
      <Text>{t("settings.sessionsIntro")}</Text>
      <ProblemAlert error={list.error ?? revoke.error ?? revokeOthers.error} />
      <Table.ScrollContainer minWidth={560}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("settings.device")}</Table.Th>
              <Table.Th>{t("settings.address")}</Table.Th>
              <Table.Th>{t("settings.lastUsed")}</Table.Th>
              <Table.Th>
                <span className="visually-hidden">{t("settings.revoke")}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data?.sessions.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>
                  <Group gap="xs">
                    {s.device}
                    {s.current && <Badge variant="light">{t("settings.thisDevice")}</Badge>}
                  </Group>
                </Table.Td>
                <Table.Td>{s.ip}</Table.Td>
                <Table.Td>{formatDateTime(s.lastUsedAt, i18n.language, tz)}</Table.Td>
                <Table.Td>
                  {!s.current && (
                    <Button size="xs" variant="subtle" color="red" onClick={() => revoke.mutate(s.id)}>
                      {t("settings.revoke")}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group>
        <Button variant="light" color="red" onClick={() => revokeOthers.mutate()} loading={revokeOthers.isPending}>
          {t("settings.revokeOthers")}
        </Button>
      </Group>
    </Stack>
  );
}
