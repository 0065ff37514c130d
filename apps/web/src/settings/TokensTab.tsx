import { useState, type FormEvent } from "react";
import { Alert, Button, Checkbox, Code, CopyButton, Group, Stack, Table, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { del, get, post } from "../api/client.ts";
import { useMe } from "../api/session.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import { formatDateTime } from "../lib/format.ts";
import type { Token } from "@ensemble/protocol/wire/accounts";

type Scope = Token["scopes"][number];

/** App passwords: the value is shown once, right after creation. */
export function TokensTab() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["read", "write"]);
  const [created, setCreated] = useState<string | null>(null);
  const list = useQuery({ queryKey: ["tokens"], queryFn: () => get<{ items: Token[] }>("/api/me/tokens") });
  const refresh = () => qc.invalidateQueries({ queryKey: ["tokens"] });
  const create = useMutation({
    mutationFn: () => post<Token & { token: string }>("/api/me/tokens", { name, scopes }),
    onSuccess: (r) => {
      setCreated(r.token);
      setName("");
      void refresh();
    },
  });
  const revoke = useMutation({ mutationFn: (id: string) => del(`/api/me/tokens/${id}`), onSuccess: refresh });
  const available: Scope[] = me?.role === "admin" ? ["read", "write", "admin"] : ["read", "write"];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Stack>
      <Text>{t("settings.tokensIntro")}</Text>
      <ProblemAlert error={list.error ?? create.error ?? revoke.error} />
      {created && (
        <Alert color="green" role="status">
          <Stack gap="xs">
            <Text>{t("settings.tokenCreated")}</Text>
            <Group>
              <Code data-testid="new-token">{created}</Code>
              <CopyButton value={created}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="light" onClick={copy}>
                    {copied ? t("app.copied") : t("app.copy")}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack maw={520}>
          <TextInput
            label={t("settings.tokenName")}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
          />
          <Checkbox.Group label={t("settings.tokenScopes")} value={scopes} onChange={(v) => setScopes(v as Scope[])}>
            <Group mt="xs">
              {available.map((s) => (
                <Checkbox key={s} value={s} label={t(`settings.scopes.${s}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <Group>
            <Button type="submit" loading={create.isPending} disabled={!name.trim() || scopes.length === 0}>
              {t("settings.createToken")}
            </Button>
          </Group>
        </Stack>
      </form>
      {list.data && list.data.items.length === 0 && <Text c="dimmed">{t("settings.noTokens")}</Text>}
      {list.data && list.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("settings.tokenName")}</Table.Th>
                <Table.Th>{t("settings.tokenScopes")}</Table.Th>
                <Table.Th>{t("settings.created")}</Table.Th>
                <Table.Th>{t("settings.lastUsed")}</Table.Th>
                <Table.Th>
                  <span className="visually-hidden">{t("app.delete")}</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((tok) => (
                <Table.Tr key={tok.id}>
                  <Table.Td>
                    {tok.name} <Code>{tok.prefix}…</Code>
                  </Table.Td>
                  <Table.Td>{tok.scopes.map((s) => t(`settings.scopes.${s}`)).join(", ")}</Table.Td>
                  <Table.Td>{formatDateTime(tok.createdAt, i18n.language, me?.timeZone)}</Table.Td>
                  <Table.Td>
                    {tok.lastUsedAt ? formatDateTime(tok.lastUsedAt, i18n.language, me?.timeZone) : t("app.never")}
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => revoke.mutate(tok.id)}
                      aria-label={`${t("app.delete")} ${tok.name}`}
                    >
                      {t("app.delete")}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
