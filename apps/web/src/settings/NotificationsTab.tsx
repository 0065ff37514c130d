import { useEffect, useState } from "react";
import { Button, Checkbox, Group, NumberInput, Stack, Switch, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { get, patch } from "../api/client.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import { notificationKindText } from "../modules/manifests.ts";
import type { NotificationPreferences } from "@ensemble/protocol/wire/notifications";

type Prefs = NotificationPreferences;
const CHANNELS = ["inApp", "push", "email"] as const;
const KEY = ["notification-preferences"];

/** Which notifications arrive where, the e-mail digest delay, and do-not-disturb hours. */
export function NotificationsTab() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const prefs = useQuery({ queryKey: KEY, queryFn: () => get<Prefs>("/api/me/notification-preferences") });
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => patch<Prefs>("/api/me/notification-preferences", body),
    onSuccess: (p) => qc.setQueryData(KEY, p),
  });
  const [dnd, setDnd] = useState<Prefs["dnd"] | null>(null);
  const [delay, setDelay] = useState<number>(30);
  useEffect(() => {
    if (prefs.data) {
      setDnd(prefs.data.dnd);
      setDelay(prefs.data.emailDelayMinutes);
    }
  }, [prefs.data]);
  const p = prefs.data;
  if (!p || !dnd) return <ProblemAlert error={prefs.error} />;
  // The module that emits a kind names it; a kind no installed manifest declares shows as it is.
  const kindLabel = (kind: string) => {
    const own = notificationKindText(kind);
    return own ? t(own.key, { ns: own.ns }) : kind;
  };
  // Sunday first, as the API counts days (0 = Sunday); names from Intl in the user's language.
  const dayName = (d: number) =>
    new Intl.DateTimeFormat(i18n.language, { weekday: "short", timeZone: "UTC" }).format(
      new Date(Date.UTC(2024, 0, 7 + d)),
    );

  return (
    <Stack maw={640}>
      <ProblemAlert error={save.error} />
      <Title order={2} fz="h4">
        {t("settings.notif.kinds")}
      </Title>
      {p.kinds.length === 0 ? (
        <Text c="dimmed">{t("settings.notif.noKinds")}</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("settings.notif.kind")}</Table.Th>
              {CHANNELS.map((c) => (
                <Table.Th key={c}>{t(`settings.notif.channels.${c}`)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {p.kinds.map((k) => (
              <Table.Tr key={k.kind}>
                <Table.Td>{kindLabel(k.kind)}</Table.Td>
                {CHANNELS.map((c) => (
                  <Table.Td key={c}>
                    <Checkbox
                      aria-label={`${kindLabel(k.kind)} — ${t(`settings.notif.channels.${c}`)}`}
                      checked={k[c]}
                      onChange={(e) => save.mutate({ kinds: { [k.kind]: { [c]: e.currentTarget.checked } } })}
                    />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group align="end">
        <NumberInput
          label={t("settings.notif.emailDelay")}
          value={delay}
          onChange={(v) => setDelay(Number(v) || 0)}
          min={0}
          max={10080}
          w={260}
        />
        <Button variant="light" onClick={() => save.mutate({ emailDelayMinutes: delay })}>
          {t("app.save")}
        </Button>
      </Group>
      <Title order={2} fz="h4">
        {t("settings.notif.dnd")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("settings.notif.dndHint", { timeZone: p.timeZone })}
      </Text>
      <Switch
        label={t("settings.notif.dndEnabled")}
        checked={dnd.enabled}
        onChange={(e) => setDnd({ ...dnd, enabled: e.currentTarget.checked })}
      />
      <Group>
        <TextInput
          type="time"
          label={t("settings.notif.from")}
          value={dnd.start}
          onChange={(e) => setDnd({ ...dnd, start: e.currentTarget.value })}
        />
        <TextInput
          type="time"
          label={t("settings.notif.to")}
          value={dnd.end}
          onChange={(e) => setDnd({ ...dnd, end: e.currentTarget.value })}
        />
      </Group>
      <Checkbox.Group
        label={t("settings.notif.days")}
        description={t("settings.notif.daysHint")}
        value={dnd.days.map(String)}
        onChange={(v) => setDnd({ ...dnd, days: v.map(Number).sort() })}
      >
        <Group mt="xs">
          {[1, 2, 3, 4, 5, 6, 0].map((d) => (
            <Checkbox key={d} value={String(d)} label={dayName(d)} />
          ))}
        </Group>
      </Checkbox.Group>
      <Group>
        <Button onClick={() => save.mutate({ dnd })} loading={save.isPending}>
          {t("app.save")}
        </Button>
      </Group>
    </Stack>
  );
}
