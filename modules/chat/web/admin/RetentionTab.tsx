import { useEffect, useState } from "react";
import { Alert, Button, Group, Loader, Modal, NumberInput, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useHost } from "../host.tsx";
import { useProblemText } from "../i18n.ts";
import { adminApi } from "./admin-api.ts";

const retentionKey = ["chat", "admin", "retention"] as const;

/** Organisation-wide message retention (rooms may have their own), and applying it now. */
export function RetentionTab() {
  const { t } = useTranslation("chat");
  const api = adminApi(useHost());
  const qc = useQueryClient();
  const problem = useProblemText();
  const q = useQuery({ queryKey: retentionKey, queryFn: api.retention });
  const [days, setDays] = useState<number>(0);
  const [confirmRun, setConfirmRun] = useState(false);
  const [lastRun, setLastRun] = useState<number | null>(null);
  useEffect(() => {
    if (q.data) setDays(q.data.days);
  }, [q.data]);

  const save = useMutation({
    mutationFn: () => api.saveRetention(days),
    onSuccess: () => {
      notifications.show({ color: "green", message: t("admin.retention.saved") });
      void qc.invalidateQueries({ queryKey: retentionKey });
    },
  });
  const run = useMutation({
    mutationFn: api.runRetention,
    onSuccess: (r) => {
      setConfirmRun(false);
      setLastRun(r.rooms.reduce((n, x) => n + x.deleted, 0));
    },
    onError: (e) => {
      setConfirmRun(false);
      notifications.show({ color: "red", message: problem(e) });
    },
  });

  if (q.isError) return <Alert color="red">{problem(q.error)}</Alert>;
  if (!q.data) return <Loader size="sm" aria-label={t("admin.loading")} />;
  return (
    <Stack maw={560} gap="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
        data-testid="retention-form"
      >
        <Stack gap="sm">
          <Title order={3} size="h5">
            {t("admin.retention.title")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("admin.retention.intro")}
          </Text>
          <NumberInput
            label={t("admin.retention.days")}
            description={days === 0 ? t("admin.retention.forever") : t("admin.retention.daysHint", { count: days })}
            min={0}
            max={36_500}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="strict"
            value={days}
            onChange={(v) => setDays(typeof v === "number" ? v : Number(v) || 0)}
          />
          {q.data.rooms.length > 0 && (
            <Text size="sm" c="dimmed">
              {t("admin.retention.roomsOwn", { count: q.data.rooms.length })}
            </Text>
          )}
          {save.isError && (
            <Alert color="red" role="alert">
              {problem(save.error)}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t("admin.save")}
            </Button>
          </Group>
        </Stack>
      </form>

      <Stack gap="sm">
        <Title order={3} size="h5">
          {t("admin.retention.runTitle")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("admin.retention.runIntro")}
        </Text>
        <Group>
          <Button variant="light" color="red" onClick={() => setConfirmRun(true)}>
            {t("admin.retention.run")}
          </Button>
        </Group>
        {lastRun !== null && (
          <Alert color="green" role="status" data-testid="retention-result">
            {t("admin.retention.ran", { count: lastRun })}
          </Alert>
        )}
      </Stack>

      <Modal opened={confirmRun} onClose={() => setConfirmRun(false)} title={t("admin.retention.runTitle")} centered>
        <Stack>
          <Text size="sm">{t("admin.retention.runConfirm")}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmRun(false)}>
              {t("admin.cancel")}
            </Button>
            <Button color="red" loading={run.isPending} onClick={() => run.mutate()}>
              {t("admin.retention.run")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
