import { useState, type FormEvent } from "react";
import { Alert, Button, Code, CopyButton, Group, NativeSelect, NumberInput, Stack, Table, Text } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { del, get, post } from "../api/client.ts";
import { useMe } from "../api/session.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import { formatDateTime } from "../lib/format.ts";
import type { Invitation } from "@ensemble/protocol/wire/accounts";

export function InvitationsTab() {
  const { t, i18n } = useTranslation();
  const tz = useMe().data?.timeZone;
  const qc = useQueryClient();
  const [role, setRole] = useState<"member" | "guest">("member");
  const [days, setDays] = useState<number>(7);
  const [maxUses, setMaxUses] = useState<number>(1);
  const [link, setLink] = useState<string | null>(null);
  const list = useQuery({ queryKey: ["invitations"], queryFn: () => get<{ items: Invitation[] }>("/api/invitations") });
  const refresh = () => qc.invalidateQueries({ queryKey: ["invitations"] });
  const create = useMutation({
    mutationFn: () => post<{ link: string }>("/api/invitations", { role, expiresInDays: days, maxUses }),
    onSuccess: (r) => {
      setLink(r.link);
      void refresh();
    },
  });
  const revoke = useMutation({ mutationFn: (id: string) => del(`/api/invitations/${id}`), onSuccess: refresh });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Stack>
      <ProblemAlert error={list.error ?? create.error ?? revoke.error} />
      <form onSubmit={submit} noValidate>
        <Group align="end">
          <NativeSelect
            label={t("admin.role")}
            value={role}
            onChange={(e) => setRole(e.currentTarget.value as "member" | "guest")}
            data={(["member", "guest"] as const).map((r) => ({ value: r, label: t(`admin.roles.${r}`) }))}
          />
          <NumberInput
            label={t("admin.expiresInDays")}
            value={days}
            onChange={(v) => setDays(Number(v) || 7)}
            min={1}
            max={90}
            w={160}
          />
          <NumberInput
            label={t("admin.maxUses")}
            value={maxUses}
            onChange={(v) => setMaxUses(Number(v) || 1)}
            min={1}
            max={1000}
            w={200}
          />
          <Button type="submit" loading={create.isPending}>
            {t("admin.createInvitation")}
          </Button>
        </Group>
      </form>
      {link && (
        <Alert color="green" role="status" title={t("admin.invitationLink")}>
          <Group>
            <Code data-testid="invitation-link">{link}</Code>
            <CopyButton value={link}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" onClick={copy}>
                  {copied ? t("app.copied") : t("app.copy")}
                </Button>
              )}
            </CopyButton>
          </Group>
        </Alert>
      )}
      {list.data?.items.length === 0 && <Text>{t("admin.noResults")}</Text>}
      {list.data && list.data.items.length > 0 && (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("admin.role")}</Table.Th>
              <Table.Th>{t("admin.expires")}</Table.Th>
              <Table.Th>{t("admin.uses")}</Table.Th>
              <Table.Th>{t("admin.status")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>{t(`admin.roles.${i.role}`)}</Table.Td>
                <Table.Td>{formatDateTime(i.expiresAt, i18n.language, tz)}</Table.Td>
                <Table.Td>
                  {i.uses} / {i.maxUses}
                </Table.Td>
                <Table.Td>
                  {i.status === "active" ? (
                    <Button size="xs" variant="subtle" color="red" onClick={() => revoke.mutate(i.id)}>
                      {t("app.delete")}
                    </Button>
                  ) : (
                    i.status
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
