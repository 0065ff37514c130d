import { useEffect, useState } from "react";
import { Alert, Button, Group, Loader, NumberInput, Stack, Switch, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { ChatSettings } from "../../shared/settings.ts";
import { useHost } from "../host.tsx";
import { useProblemText } from "../i18n.ts";
import { adminApi } from "./admin-api.ts";

const numberFields = [
  { key: "editWindowMinutes", min: 0, max: 525_600 },
  { key: "mentionAllConfirmThreshold", min: 0, max: 100_000 },
  { key: "maxMessageLength", min: 100, max: 40_000 },
  { key: "maxUploadMb", min: 1, max: 10_240 },
] as const;

/** The organisation-wide chat settings (GET/PATCH /api/chat/settings). */
export function GeneralTab() {
  const { t } = useTranslation("chat");
  const api = adminApi(useHost());
  const qc = useQueryClient();
  const problem = useProblemText();
  const q = useQuery({ queryKey: ["chat", "admin", "settings"], queryFn: api.settings });
  const [form, setForm] = useState<ChatSettings | null>(null);
  useEffect(() => {
    if (q.data) setForm(q.data);
  }, [q.data]);
  const save = useMutation({
    mutationFn: (s: ChatSettings) => api.saveSettings(s),
    onSuccess: (s) => {
      qc.setQueryData(["chat", "admin", "settings"], s);
      notifications.show({ color: "green", message: t("admin.general.saved") });
    },
  });
  if (q.isError) return <Alert color="red">{problem(q.error)}</Alert>;
  if (!form) return <Loader size="sm" aria-label={t("admin.loading")} />;
  const set = <K extends keyof ChatSettings>(k: K, v: ChatSettings[K]) => setForm({ ...form, [k]: v });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(form);
      }}
      data-testid="chat-settings-form"
    >
      <Stack maw={520} gap="md">
        <Text size="sm" c="dimmed">
          {t("admin.general.intro")}
        </Text>
        <Switch
          label={t("admin.general.readReceipts")}
          description={t("admin.general.readReceiptsHint")}
          checked={form.readReceipts}
          onChange={(e) => set("readReceipts", e.currentTarget.checked)}
        />
        {numberFields.map((f) => (
          <NumberInput
            key={f.key}
            label={t(`admin.general.${f.key}`)}
            description={t(`admin.general.${f.key}Hint`)}
            min={f.min}
            max={f.max}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="strict"
            value={form[f.key]}
            onChange={(v) => set(f.key, typeof v === "number" ? v : Number(v) || f.min)}
          />
        ))}
        <TextInput
          label={t("admin.general.defaultChannelSlug")}
          description={t("admin.general.defaultChannelSlugHint")}
          value={form.defaultChannelSlug}
          maxLength={80}
          required
          onChange={(e) => set("defaultChannelSlug", e.currentTarget.value)}
        />
        {save.isError && (
          <Alert color="red" role="alert">
            {problem(save.error)}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t("admin.save")}
          </Button>
          <Button variant="subtle" onClick={() => q.data && setForm(q.data)} disabled={save.isPending}>
            {t("admin.reset")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
