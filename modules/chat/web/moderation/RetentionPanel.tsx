import { useState } from "react";
import { Button, Group, Loader, NumberInput, Stack, Switch, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useProblemText } from "../i18n.ts";
import { modKeys, useModerationApi, type RoomRetention } from "./api.ts";

/** How long the room keeps its messages. Moderators read it; administrators change it (it destroys history). */
export function RetentionPanel({ roomId, canEdit }: { roomId: string; canEdit: boolean }) {
  const { t } = useTranslation("chat");
  const api = useModerationApi();
  const problem = useProblemText();
  const q = useQuery({ queryKey: modKeys.retention(roomId), queryFn: () => api.retention(roomId) });
  if (q.isPending) return <Loader size="sm" aria-label={t("moderation.loading")} />;
  if (q.isError)
    return (
      <Text role="alert" c="red.8" size="sm">
        {problem(q.error)}
      </Text>
    );
  return <RetentionView roomId={roomId} r={q.data} canEdit={canEdit} />;
}

function RetentionView({ roomId, r, canEdit }: { roomId: string; r: RoomRetention; canEdit: boolean }) {
  const { t } = useTranslation("chat");
  const api = useModerationApi();
  const qc = useQueryClient();
  const problem = useProblemText();
  const [own, setOwn] = useState(r.days !== null);
  const [value, setValue] = useState<number | string>(r.days ?? 30);
  const [busy, setBusy] = useState(false);
  const days = (n: number) => (n > 0 ? t("moderation.days", { count: n }) : t("moderation.forever"));
  const save = async () => {
    setBusy(true);
    try {
      await api.setRetention(roomId, own ? Number(value) || 0 : null);
      notifications.show({ message: t("moderation.retentionSaved") });
      void qc.invalidateQueries({ queryKey: modKeys.retention(roomId) });
    } catch (e) {
      notifications.show({ color: "red", message: problem(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="sm" data-testid="retention">
      <Text size="sm">{t("moderation.retentionApplies", { what: days(r.effectiveDays) })}</Text>
      <Text size="sm" c="dimmed">
        {r.days === null
          ? t("moderation.retentionFollowsGlobal")
          : t("moderation.retentionOwn", { what: days(r.days) })}{" "}
        {t("moderation.retentionGlobal", { what: days(r.globalDays) })}
      </Text>
      {canEdit ? (
        <>
          <Switch
            checked={own}
            onChange={(e) => setOwn(e.currentTarget.checked)}
            label={t("moderation.retentionOwnSwitch")}
          />
          {own && (
            <NumberInput
              label={t("moderation.retentionDays")}
              description={t("moderation.retentionDaysHint")}
              min={0}
              max={36_500}
              value={value}
              onChange={setValue}
              allowDecimal={false}
            />
          )}
          <Group justify="flex-end">
            <Button onClick={() => void save()} loading={busy}>
              {t("common.save")}
            </Button>
          </Group>
        </>
      ) : (
        <Text size="xs" c="dimmed">
          {t("moderation.retentionAdminsOnly")}
        </Text>
      )}
    </Stack>
  );
}
