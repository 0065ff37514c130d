import { useState } from "react";
import { Button, Group, Loader, Paper, Stack, Text, TextInput } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useProblemText } from "../i18n.ts";
import { intKeys, useIntegrationsApi, type IncomingHook } from "./api.ts";
import { CopyField, IntegrationRow, shortDate, ShownOnce, useCreateRemove } from "./parts.tsx";

const curlFor = (url: string) =>
  `curl -X POST -H 'Content-Type: application/json' \\\n  -d '{"text": "Bonjour depuis un script"}' \\\n  '${url}'`;

/** Incoming webhooks: a secret URL another tool POSTs Slack-style messages to, posted in this room. */
export function IncomingPanel({ roomId }: { roomId: string }) {
  const { t, i18n } = useTranslation("chat");
  const api = useIntegrationsApi();
  const qc = useQueryClient();
  const problem = useProblemText();
  const list = useQuery({ queryKey: intKeys.incoming(roomId), queryFn: () => api.incoming(roomId) });
  const [name, setName] = useState("");
  const [username, setUsername] = useState("");
  const [iconUrl, setIconUrl] = useState("");
  const refresh = () => void qc.invalidateQueries({ queryKey: intKeys.incoming(roomId) });
  const {
    busy,
    error,
    created,
    setCreated,
    create: create_,
    remove: remove_,
  } = useCreateRemove<IncomingHook & { url: string }>(refresh);

  const create = async () => {
    if (!name.trim()) return;
    await create_(
      () =>
        api.createIncoming(roomId, {
          name: name.trim(),
          ...(username.trim() ? { username: username.trim() } : {}),
          ...(iconUrl.trim() ? { iconUrl: iconUrl.trim() } : {}),
        }),
      () => {
        setName("");
        setUsername("");
        setIconUrl("");
      },
    );
  };
  const remove = async (h: IncomingHook) => {
    await remove_(() => api.deleteIncoming(h.id));
  };

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t("integrations.incomingIntro")}
      </Text>
      {created && (
        <ShownOnce title={t("integrations.incomingCreated", { name: created.name })} onDone={() => setCreated(null)}>
          <CopyField label={t("integrations.url")} value={created.url} testId="incoming-url" />
          <CopyField label={t("integrations.curlExample")} value={curlFor(created.url)} />
        </ShownOnce>
      )}
      {list.isPending && <Loader size="sm" aria-label={t("integrations.loading")} />}
      {list.isError && (
        <Text role="alert" c="red.8" size="sm">
          {problem(list.error)}
        </Text>
      )}
      {list.data?.items.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="incoming-empty">
          {t("integrations.incomingEmpty")}
        </Text>
      )}
      {list.data?.items.map((h) => (
        <IntegrationRow key={h.id} name={h.name} onDelete={() => remove(h)} deleteLabel={t("integrations.delete")}>
          <Text size="xs" c="dimmed">
            {t("integrations.postsAs", { name: h.username ?? h.name })} ·{" "}
            {h.lastUsedAt
              ? t("integrations.lastUsed", { date: shortDate(h.lastUsedAt, i18n.language) })
              : t("integrations.neverUsed")}
          </Text>
        </IntegrationRow>
      ))}
      <Paper withBorder p="sm">
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {t("integrations.newIncoming")}
          </Text>
          <TextInput
            label={t("integrations.name")}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={80}
            required
          />
          <TextInput
            label={t("integrations.defaultUsername")}
            description={t("integrations.defaultUsernameHint")}
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            maxLength={80}
          />
          <TextInput
            label={t("integrations.iconUrl")}
            placeholder="https://…"
            value={iconUrl}
            onChange={(e) => setIconUrl(e.currentTarget.value)}
            type="url"
          />
          {error && (
            <Text size="sm" c="red.8" role="alert">
              {error}
            </Text>
          )}
          <Group justify="flex-end">
            <Button onClick={() => void create()} disabled={!name.trim()} loading={busy}>
              {t("integrations.create")}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
