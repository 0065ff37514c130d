import { useState, type FormEvent } from "react";
import { Button, Checkbox, Code, Group, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { del, get, post } from "../api/client.ts";
import { useMe } from "../api/session.ts";
import { DataTable, ShownOnceSecret, useDates } from "@ensemble/ui";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import type { Token } from "@ensemble/protocol/wire/accounts";

type Scope = Token["scopes"][number];

/** App passwords: the value is shown once, right after creation. */
export function TokensTab() {
  const { t } = useTranslation();
  const me = useMe().data;
  const dates = useDates();
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
  const available: Scope[] = me?.capabilities?.includes("org.create_admin_token")
    ? ["read", "write", "admin"]
    : ["read", "write"];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Stack>
      <Text>{t("settings.tokensIntro")}</Text>
      <ProblemAlert error={list.error ?? create.error ?? revoke.error} />
      {created && (
        <ShownOnceSecret
          intro={t("settings.tokenCreated")}
          value={created}
          copyLabel={t("app.copy")}
          copiedLabel={t("app.copied")}
          valueTestId="new-token"
        />
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
      <DataTable
        rows={list.data?.items}
        loading={list.isPending}
        loadingLabel={t("app.loading")}
        empty={t("settings.noTokens")}
        rowKey={(tok) => tok.id}
        columns={[
          {
            key: "name",
            header: t("settings.tokenName"),
            cell: (tok) => (
              <>
                {tok.name} <Code>{tok.prefix}…</Code>
              </>
            ),
          },
          {
            key: "scopes",
            header: t("settings.tokenScopes"),
            cell: (tok) => tok.scopes.map((s) => t(`settings.scopes.${s}`)).join(", "),
          },
          {
            key: "created",
            header: t("settings.created"),
            cell: (tok) => dates.format(tok.createdAt, "dateTime"),
          },
          {
            key: "lastUsed",
            header: t("settings.lastUsed"),
            cell: (tok) => (tok.lastUsedAt ? dates.format(tok.lastUsedAt, "dateTime") : t("app.never")),
          },
        ]}
        actionsLabel={t("app.delete")}
        actions={(tok) => (
          <Button
            size="xs"
            variant="subtle"
            color="red"
            onClick={() => revoke.mutate(tok.id)}
            aria-label={`${t("app.delete")} ${tok.name}`}
          >
            {t("app.delete")}
          </Button>
        )}
      />
    </Stack>
  );
}
