import { useState } from "react";
import { Button, Group, Loader, Paper, Stack, Text, TextInput } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useProblemText } from "../i18n.ts";
import { intKeys, useIntegrationsApi, type SlashCommand } from "./api.ts";
import { CopyField, IntegrationRow, ShownOnce, useCreateRemove } from "./parts.tsx";

const NAME = /^\/?[a-z0-9][a-z0-9_-]{0,31}$/;

/** Custom slash commands (administrators): `/name` typed in any room is POSTed to a URL, which answers. */
export function CommandsPanel() {
  const { t } = useTranslation("chat");
  const api = useIntegrationsApi();
  const qc = useQueryClient();
  const problem = useProblemText();
  const list = useQuery({ queryKey: intKeys.commands, queryFn: api.commands });
  const [command, setCommand] = useState("");
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const refresh = () => void qc.invalidateQueries({ queryKey: intKeys.commands });
  const {
    busy,
    error,
    created,
    setCreated,
    create: create_,
    remove: remove_,
  } = useCreateRemove<SlashCommand & { token: string }>(refresh);
  const name = command.trim().toLowerCase();
  const nameOk = NAME.test(name);

  const create = async () => {
    if (!nameOk || !url.trim()) return;
    await create_(
      () =>
        api.createCommand({
          command: name.startsWith("/") ? name : `/${name}`,
          url: url.trim(),
          description: description.trim(),
        }),
      () => {
        setCommand("");
        setUrl("");
        setDescription("");
      },
    );
  };
  const remove = async (c: SlashCommand) => {
    const id = c.id;
    if (id) await remove_(() => api.deleteCommand(id));
  };
  const custom = (list.data?.items ?? []).filter((c) => !c.builtIn);

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t("integrations.commandsIntro")}
      </Text>
      {created && (
        <ShownOnce title={t("integrations.commandCreated", { name: created.command })} onDone={() => setCreated(null)}>
          <CopyField label={t("integrations.token")} value={created.token} />
          <Text size="xs">{t("integrations.commandTokenHint")}</Text>
        </ShownOnce>
      )}
      {list.isPending && <Loader size="sm" aria-label={t("integrations.loading")} />}
      {list.isError && (
        <Text role="alert" c="red.8" size="sm">
          {problem(list.error)}
        </Text>
      )}
      {list.data && custom.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="commands-empty">
          {t("integrations.commandsEmpty")}
        </Text>
      )}
      {custom.map((c) => (
        <IntegrationRow
          key={c.id ?? c.command}
          name={c.command}
          onDelete={() => remove(c)}
          deleteLabel={t("integrations.delete")}
        >
          {c.description && <Text size="xs">{c.description}</Text>}
          {c.url && (
            <Text size="xs" c="dimmed" style={{ wordBreak: "break-all" }}>
              {c.url}
            </Text>
          )}
        </IntegrationRow>
      ))}
      <Paper withBorder p="sm">
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {t("integrations.newCommand")}
          </Text>
          <TextInput
            label={t("integrations.commandName")}
            description={t("integrations.commandNameHint")}
            placeholder="/meteo"
            value={command}
            onChange={(e) => setCommand(e.currentTarget.value)}
            error={command.trim() && !nameOk ? t("integrations.commandNameInvalid") : undefined}
            required
          />
          <TextInput
            label={t("integrations.targetUrl")}
            placeholder="https://…"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            type="url"
            required
          />
          <TextInput
            label={t("integrations.usageHint")}
            description={t("integrations.usageHintHelp")}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            maxLength={200}
          />
          {error && (
            <Text size="sm" c="red.8" role="alert">
              {error}
            </Text>
          )}
          <Group justify="flex-end">
            <Button onClick={() => void create()} disabled={!nameOk || !url.trim()} loading={busy}>
              {t("integrations.create")}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
