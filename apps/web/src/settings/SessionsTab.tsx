import { Badge, Button, Group, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { del, get, post } from "../api/client.ts";
import { DataTable, useDates } from "@ensemble/ui";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import type { Session } from "@ensemble/protocol/wire/accounts";

export function SessionsTab() {
  const { t } = useTranslation();
  const dates = useDates();
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
      <DataTable
        rows={list.data?.sessions}
        loading={list.isPending}
        loadingLabel={t("app.loading")}
        empty={null}
        rowKey={(s) => s.id}
        columns={[
          {
            key: "device",
            header: t("settings.device"),
            cell: (s) => (
              <Group gap="xs">
                {s.device}
                {s.current && <Badge variant="light">{t("settings.thisDevice")}</Badge>}
              </Group>
            ),
          },
          { key: "address", header: t("settings.address"), cell: (s) => s.ip },
          {
            key: "lastUsed",
            header: t("settings.lastUsed"),
            cell: (s) => dates.format(s.lastUsedAt, "dateTime"),
          },
        ]}
        actionsLabel={t("settings.revoke")}
        actions={(s) =>
          !s.current && (
            <Button size="xs" variant="subtle" color="red" onClick={() => revoke.mutate(s.id)}>
              {t("settings.revoke")}
            </Button>
          )
        }
      />
      <Group>
        <Button variant="light" color="red" onClick={() => revokeOthers.mutate()} loading={revokeOthers.isPending}>
          {t("settings.revokeOthers")}
        </Button>
      </Group>
    </Stack>
  );
}
