import { useState } from "react";
import { Button, Group, Loader, Paper, Select, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useMembers } from "../hooks.ts";
import { useProblemText } from "../i18n.ts";
import { modKeys, useModerationApi } from "./api.ts";
import { formatDate } from "@ensemble/ui";

/** Durations offered, in minutes; "forever" mutes until a moderator unmutes. */
const DURATIONS = ["15", "60", "1440", "10080", "forever"] as const;

/** Who cannot post in the room, until when; mute someone for a while, or unmute. */
export function MutesPanel({ roomId }: { roomId: string }) {
  const { t, i18n } = useTranslation("chat");
  const api = useModerationApi();
  const qc = useQueryClient();
  const problem = useProblemText();
  const members = useMembers(roomId);
  const mutes = useQuery({ queryKey: modKeys.mutes(roomId), queryFn: () => api.mutes(roomId) });
  const [userId, setUserId] = useState<string | null>(null);
  const [duration, setDuration] = useState<string>("60");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const refresh = () => void qc.invalidateQueries({ queryKey: modKeys.mutes(roomId) });

  const muted = new Set((mutes.data?.items ?? []).map((m) => m.user.id));
  const candidates = members.list
    .filter((m) => m.actions.includes("mute") && !muted.has(m.user.id))
    .map((m) => ({ value: m.user.id, label: `${m.user.displayName} (@${m.user.username})` }));

  const mute = async () => {
    if (!userId) return;
    setBusy(true);
    setError(null);
    try {
      await api.mute(roomId, userId, duration === "forever" ? null : Number(duration));
      setUserId(null);
      notifications.show({ message: t("moderation.mutedDone") });
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
      refresh();
    }
  };
  const unmute = async (id: string) => {
    try {
      await api.unmute(roomId, id);
      notifications.show({ message: t("moderation.unmutedDone") });
    } catch (e) {
      notifications.show({ color: "red", message: problem(e) });
    }
    refresh();
  };
  const until = (iso: string | null) =>
    iso
      ? t("moderation.until", {
          date: formatDate(iso, "dateTime", i18n.language),
        })
      : t("moderation.untilUnmuted");

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t("moderation.mutesIntro")}
      </Text>
      {mutes.isPending && <Loader size="sm" aria-label={t("moderation.loading")} />}
      {mutes.isError && (
        <Text role="alert" c="red.8" size="sm">
          {problem(mutes.error)}
        </Text>
      )}
      {mutes.data && mutes.data.items.length === 0 && (
        <Text c="dimmed" size="sm" ta="center" data-testid="mutes-empty">
          {t("moderation.noMutes")}
        </Text>
      )}
      {mutes.data?.items.map((m) => (
        <Paper key={m.user.id} withBorder p="xs" data-testid="mute">
          <Group justify="space-between" wrap="nowrap">
            <div style={{ minWidth: 0 }}>
              <Text size="sm" fw={600} truncate>
                {m.user.displayName}
              </Text>
              <Text size="xs" c="dimmed">
                {until(m.until)}
              </Text>
            </div>
            <Button
              size="compact-sm"
              variant="light"
              onClick={() => void unmute(m.user.id)}
              aria-label={t("moderation.unmuteWho", { name: m.user.displayName })}
            >
              {t("moderation.unmute")}
            </Button>
          </Group>
        </Paper>
      ))}
      <Paper withBorder p="sm">
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {t("moderation.addMute")}
          </Text>
          <Select
            label={t("moderation.member")}
            placeholder={t("moderation.memberPlaceholder")}
            data={candidates}
            value={userId}
            onChange={setUserId}
            searchable
            nothingFoundMessage={t("moderation.noCandidates")}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label={t("moderation.duration")}
            data={DURATIONS.map((d) => ({ value: d, label: t(`moderation.durations.d${d}`) }))}
            value={duration}
            onChange={(v) => setDuration(v ?? "60")}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          {error && (
            <Text size="sm" c="red.8" role="alert">
              {error}
            </Text>
          )}
          <Group justify="flex-end">
            <Button onClick={() => void mute()} disabled={!userId} loading={busy}>
              {t("moderation.mute")}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
