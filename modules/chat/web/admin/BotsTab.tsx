import { useState } from "react";
import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconCheck, IconCopy } from "@tabler/icons-react";
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
  const date = (iso: string) => new Date(iso).toLocaleDateString(i18n.language, { dateStyle: "medium" });

  return (
    <Stack gap="lg">
      {created && (
        <Alert
          color="yellow"
          icon={<IconAlertTriangle size={18} aria-hidden="true" />}
          title={t("admin.bots.tokenTitle", { name: created.username })}
          withCloseButton
          closeButtonLabel={t("admin.bots.tokenDone")}
          onClose={() => setCreated(null)}
          data-testid="bot-token"
        >
          <Stack gap="xs">
            <Text size="sm">{t("admin.bots.tokenOnce")}</Text>
            <Group gap="xs" wrap="nowrap">
              <Code block style={{ flex: 1, wordBreak: "break-all" }} data-testid="bot-token-value">
                {created.token}
              </Code>
              <CopyButton value={created.token}>
                {({ copied, copy }) => (
                  <Button
                    size="xs"
                    variant="light"
                    onClick={copy}
                    leftSection={
                      copied ? <IconCheck size={14} aria-hidden="true" /> : <IconCopy size={14} aria-hidden="true" />
                    }
                  >
                    {copied ? t("admin.bots.copied") : t("admin.bots.copy")}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Text size="xs" c="dimmed">
              {t("admin.bots.tokenUse")}
            </Text>
          </Stack>
        </Alert>
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
        {list.isPending && <Loader size="sm" aria-label={t("admin.loading")} />}
        {list.isError && <Alert color="red">{problem(list.error)}</Alert>}
        {list.data && list.data.items.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="bots-empty">
            {t("admin.bots.empty")}
          </Text>
        )}
        {list.data && list.data.items.length > 0 && (
          <Table.ScrollContainer minWidth={480}>
            <Table verticalSpacing="xs" data-testid="bots-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("admin.bots.displayName")}</Table.Th>
                  <Table.Th>{t("admin.bots.username")}</Table.Th>
                  <Table.Th>{t("admin.bots.description")}</Table.Th>
                  <Table.Th>{t("admin.bots.created")}</Table.Th>
                  <Table.Th>{t("admin.bots.status")}</Table.Th>
                  <Table.Th>
                    <span className="visually-hidden">{t("admin.actions")}</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((b) => (
                  <Table.Tr key={b.id} data-testid="bot-row" data-username={b.username}>
                    <Table.Td>{b.displayName}</Table.Td>
                    <Table.Td>@{b.username}</Table.Td>
                    <Table.Td>{b.description}</Table.Td>
                    <Table.Td>{date(b.createdAt)}</Table.Td>
                    <Table.Td>
                      <Badge color={b.active ? "green" : "gray"} variant="light">
                        {b.active ? t("admin.bots.active") : t("admin.bots.inactive")}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {b.active && (
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          onClick={() => setRevoking(b)}
                          aria-label={t("admin.bots.revokeNamed", { name: b.username })}
                        >
                          {t("admin.bots.revoke")}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>

      <Modal opened={revoking !== null} onClose={() => setRevoking(null)} title={t("admin.bots.revokeTitle")} centered>
        <Stack>
          <Text size="sm">{t("admin.bots.revokeConfirm", { name: revoking?.username ?? "" })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRevoking(null)}>
              {t("admin.cancel")}
            </Button>
            <Button color="red" loading={revoke.isPending} onClick={() => revoking && revoke.mutate(revoking)}>
              {t("admin.bots.revoke")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
