import { useState, type FormEvent } from "react";
import { Button, Group, NativeSelect, NumberInput, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { del, get, post } from "../api/client.ts";
import { DataTable, ShownOnceSecret, useDates } from "@ensemble/ui";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import type { Invitation } from "@ensemble/protocol/wire/accounts";

export function InvitationsTab() {
  const { t } = useTranslation();
  const dates = useDates();
  const qc = useQueryClient();
  const [role, setRole] = useState<"member" | "guest">("member");
  const [days, setDays] = useState<number>(7);
  const [maxUses, setMaxUses] = useState<number>(1);
  const [email, setEmail] = useState("");
  const [link, setLink] = useState<string | null>(null);
  const [mailed, setMailed] = useState<string | null>(null);
  const list = useQuery({ queryKey: ["invitations"], queryFn: () => get<{ items: Invitation[] }>("/api/invitations") });
  const refresh = () => qc.invalidateQueries({ queryKey: ["invitations"] });
  const create = useMutation({
    // With an address the server mails the link (and the invitation is for that address).
    mutationFn: (to: string) =>
      post<{ link: string }>("/api/invitations", {
        role,
        expiresInDays: days,
        maxUses,
        ...(to ? { email: to } : {}),
      }),
    onSuccess: (r, to) => {
      setLink(r.link);
      setMailed(to || null);
      setEmail("");
      void refresh();
    },
  });
  const revoke = useMutation({ mutationFn: (id: string) => del(`/api/invitations/${id}`), onSuccess: refresh });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(email.trim());
  };
  return (
    <Stack>
      <ProblemAlert error={list.error ?? create.error ?? revoke.error} />
      <form onSubmit={submit} noValidate>
        <Group align="end">
          <TextInput
            label={t("admin.inviteEmail")}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            w={320}
          />
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
      {mailed && (
        <Text role="status" data-testid="invitation-mailed">
          {t("admin.invitationMailed", { email: mailed })}
        </Text>
      )}
      {link && (
        <ShownOnceSecret
          title={t("admin.invitationLink")}
          value={link}
          copyLabel={t("app.copy")}
          copiedLabel={t("app.copied")}
          valueTestId="invitation-link"
        />
      )}
      <DataTable
        rows={list.data?.items}
        loading={list.isPending}
        loadingLabel={t("app.loading")}
        empty={t("admin.noResults")}
        rowKey={(i) => i.id}
        columns={[
          { key: "role", header: t("admin.role"), cell: (i) => t(`admin.roles.${i.role}`) },
          { key: "expires", header: t("admin.expires"), cell: (i) => dates.format(i.expiresAt, "dateTime") },
          { key: "uses", header: t("admin.uses"), cell: (i) => `${i.uses} / ${i.maxUses}` },
          {
            key: "status",
            header: t("admin.status"),
            cell: (i) =>
              i.status === "active" ? (
                <Button size="xs" variant="subtle" color="red" onClick={() => revoke.mutate(i.id)}>
                  {t("app.delete")}
                </Button>
              ) : (
                i.status
              ),
          },
        ]}
      />
    </Stack>
  );
}
