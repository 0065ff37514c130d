import { useState } from "react";
import { Button, Group, Loader, Paper, SegmentedControl, Stack, Text, TextInput } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useProblemText } from "../i18n.ts";
import { intKeys, useIntegrationsApi, type OutgoingHook } from "./api.ts";
import { CopyField, IntegrationRow, ShownOnce, useCreateRemove } from "./parts.tsx";

/** Outgoing webhooks: messages of this room (all, or those starting with a trigger word) POSTed to another service. */
export function OutgoingPanel({ roomId }: { roomId: string }) {
  const { t } = useTranslation("chat");
  const api = useIntegrationsApi();
  const qc = useQueryClient();
  const problem = useProblemText();
  const list = useQuery({ queryKey: intKeys.outgoing(roomId), queryFn: () => api.outgoing(roomId) });
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [every, setEvery] = useState("words");
  const [words, setWords] = useState("");
  const refresh = () => void qc.invalidateQueries({ queryKey: intKeys.outgoing(roomId) });
  const {
    busy,
    error,
    created,
    setCreated,
    create: create_,
    remove: remove_,
  } = useCreateRemove<OutgoingHook & { token: string; signingSecret: string }>(refresh);
  const triggerWords =
    every === "all"
      ? []
      : words
          .split(/[\s,]+/)
          .filter(Boolean)
          .slice(0, 20);
  const ready = name.trim() && url.trim() && (every === "all" || triggerWords.length > 0);

  const create = async () => {
    if (!ready) return;
    await create_(
      () => api.createOutgoing(roomId, { name: name.trim(), url: url.trim(), triggerWords, triggerWhen: "first_word" }),
      () => {
        setName("");
        setUrl("");
        setWords("");
      },
    );
  };
  const remove = async (h: OutgoingHook) => {
    await remove_(() => api.deleteOutgoing(h.id));
  };

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t("integrations.outgoingIntro")}
      </Text>
      {created && (
        <ShownOnce title={t("integrations.outgoingCreated", { name: created.name })} onDone={() => setCreated(null)}>
          <CopyField label={t("integrations.signingSecret")} value={created.signingSecret} testId="signing-secret" />
          <CopyField label={t("integrations.token")} value={created.token} />
          <Text size="xs">{t("integrations.signingHint")}</Text>
        </ShownOnce>
      )}
      {list.isPending && <Loader size="sm" aria-label={t("integrations.loading")} />}
      {list.isError && (
        <Text role="alert" c="red.8" size="sm">
          {problem(list.error)}
        </Text>
      )}
      {list.data?.items.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="outgoing-empty">
          {t("integrations.outgoingEmpty")}
        </Text>
      )}
      {list.data?.items.map((h) => (
        <IntegrationRow key={h.id} name={h.name} onDelete={() => remove(h)} deleteLabel={t("integrations.delete")}>
          <Text size="xs" c="dimmed" style={{ wordBreak: "break-all" }}>
            {h.url}
          </Text>
          <Text size="xs" c="dimmed">
            {h.triggerWords.length
              ? t("integrations.triggeredBy", { words: h.triggerWords.join(", ") })
              : t("integrations.everyMessage")}
          </Text>
        </IntegrationRow>
      ))}
      <Paper withBorder p="sm">
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {t("integrations.newOutgoing")}
          </Text>
          <TextInput
            label={t("integrations.name")}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={80}
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
          <Stack gap={4}>
            <Text size="sm" fw={500} id="outgoing-when">
              {t("integrations.when")}
            </Text>
            <SegmentedControl
              aria-labelledby="outgoing-when"
              value={every}
              onChange={setEvery}
              data={[
                { value: "words", label: t("integrations.onTriggerWords") },
                { value: "all", label: t("integrations.everyMessage") },
              ]}
            />
          </Stack>
          {every === "words" && (
            <TextInput
              label={t("integrations.triggerWords")}
              description={t("integrations.triggerWordsHint")}
              value={words}
              onChange={(e) => setWords(e.currentTarget.value)}
            />
          )}
          {error && (
            <Text size="sm" c="red.8" role="alert">
              {error}
            </Text>
          )}
          <Group justify="flex-end">
            <Button onClick={() => void create()} disabled={!ready} loading={busy}>
              {t("integrations.create")}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
