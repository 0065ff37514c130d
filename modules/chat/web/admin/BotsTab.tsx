import { useState } from "react";
import { Alert, Badge, Button, Group, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { ConfirmDelete, DataTable, formatDate, ShownOnceSecret } from "@ensemble/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useHost } from "../host.tsx";
import { useProblemText } from "../i18n.ts";
import { adminApi, type Bot } from "./admin-api.ts";

const botsKey = ["chat", "admin", "bots"] as const;

/** Bot accounts: create one (its API token is shown once), list them, revoke one. */
export function BotsTab() {
  const { t, i18n } = useTranslation("chat");
  const api = adminApi(useHost());
  const qc = useQueryClient();
  const problem = useProblemText();
  const list = useQuery({ queryKey: botsKey, queryFn: api.bots });
  const [form, setForm] = useState({ username: "", displayName: "", description: "" });
  const [created, setCreated] = useState<{ username: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<Bot | null>(null);

  const create = useMutation({
    mutationFn: () => api.createBot(form),
    onSuccess: (r) => {
      setCreated({ username: r.bot.username, token: r.token });
      setForm({ username: "", displayName: "", description: "" });
      void qc.invalidateQueries({ queryKey: botsKey });
    },
  });
  const revoke = useMutation({
    mutationFn: (b: Bot) => api.revokeBot(b.id),
    onSuccess: (_r, b) => {
      notifications.show({ message: t("admin.bots.revoked", { name: b.username }) });
      setRevoking(null);
      void qc.invalidateQueries({ queryKey: botsKey });
    },
    onError: (e) => notifications.show({ color: "red", message: problem(e) }),
  });
  const date = (iso: string) => formatDate(iso, "date", i18n.language);

  return (
    <Stack gap="lg">
      {created && (
        <ShownOnceSecret
          color="yellow"
          title={t("admin.bots.tokenTitle", { name: created.username })}
          intro={t("admin.bots.tokenOnce")}
          value={created.token}
          hint={t("admin.bots.tokenUse")}
          copyLabel={t("admin.bots.copy")}
          copiedLabel={t("admin.bots.copied")}
          onClose={() => setCreated(null)}
          closeLabel={t("admin.bots.tokenDone")}
          testId="bot-token"
          valueTestId="bot-token-value"
        />
      )}

      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
        data-testid="bot-create-form"
      >
        <Stack maw={520} gap="sm">
          <Title order={3} size="h5">
            {t("admin.bots.createTitle")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("admin.bots.intro")}
          </Text>
          <TextInput
            label={t("admin.bots.username")}
            description={t("admin.bots.usernameHint")}
            required
            value={form.username}
            onChange={(e) => setForm({ ...form, username: e.currentTarget.value })}
          />
          <TextInput
            label={t("admin.bots.displayName")}
            required
            maxLength={80}
            value={form.displayName}
            onChange={(e) => setForm({ ...form, displayName: e.currentTarget.value })}
          />
          <Textarea
            label={t("admin.bots.description")}
            maxLength={500}
            autosize
            minRows={2}
            value={form.description}
            onChange={(e) => setForm({ ...form, description: e.currentTarget.value })}
          />
          {create.isError && (
            <Alert color="red" role="alert">
              {problem(create.error)}
            </Alert>
          )}
          <Group>
            <Button
              type="submit"
              loading={create.isPending}
              disabled={!form.username.trim() || !form.displayName.trim()}
            >
              {t("admin.bots.create")}
            </Button>
          </Group>
        </Stack>
      </form>

      <Stack gap="sm">
        <Title order={3} size="h5">
          {t("admin.bots.listTitle")}
        </Title>
        <DataTable
          rows={list.data?.items}
          loading={list.isPending}
          loadingLabel={t("admin.loading")}
          error={list.isError && <Alert color="red">{problem(list.error)}</Alert>}
          empty={
            <Text size="sm" c="dimmed" data-testid="bots-empty">
              {t("admin.bots.empty")}
            </Text>
          }
          minWidth={480}
          data-testid="bots-list"
          rowKey={(b) => b.id}
          rowProps={(b) => ({ "data-testid": "bot-row", "data-username": b.username })}
          columns={[
            { key: "displayName", header: t("admin.bots.displayName"), cell: (b) => b.displayName },
            { key: "username", header: t("admin.bots.username"), cell: (b) => `@${b.username}` },
            { key: "description", header: t("admin.bots.description"), cell: (b) => b.description },
            { key: "created", header: t("admin.bots.created"), cell: (b) => date(b.createdAt) },
            {
              key: "status",
              header: t("admin.bots.status"),
              cell: (b) => (
                <Badge color={b.active ? "green" : "gray"} variant="light">
                  {b.active ? t("admin.bots.active") : t("admin.bots.inactive")}
                </Badge>
              ),
            },
          ]}
          actionsLabel={t("admin.actions")}
          actions={(b) =>
            b.active && (
              <Button
                size="xs"
                variant="subtle"
                color="red"
                onClick={() => setRevoking(b)}
                aria-label={t("admin.bots.revokeNamed", { name: b.username })}
              >
                {t("admin.bots.revoke")}
              </Button>
            )
          }
        />
      </Stack>

      <ConfirmDelete
        opened={revoking !== null}
        title={t("admin.bots.revokeTitle")}
        message={t("admin.bots.revokeConfirm", { name: revoking?.username ?? "" })}
        confirmLabel={t("admin.bots.revoke")}
        cancelLabel={t("admin.cancel")}
        loading={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        onCancel={() => setRevoking(null)}
      />
    </Stack>
  );
}
