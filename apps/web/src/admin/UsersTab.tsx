import { useState } from "react";
import { Badge, Button, NativeSelect, Stack, Table, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { get, patch } from "../api/client.ts";
import type { Me } from "../api/types.ts";
import { useMe } from "../api/session.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import { CreateUserForm } from "./CreateUserForm.tsx";

type User = Me;
const ROLES = ["admin", "member", "guest"] as const;

export function UsersTab() {
  const { t } = useTranslation();
  const me = useMe().data;
  const qc = useQueryClient();
  const [q, setQ] = useState("");
  const [query] = useDebouncedValue(q, 250);
  const list = useQuery({
    queryKey: ["admin-users", query],
    queryFn: () =>
      get<{ items: User[] }>(`/api/admin/users?limit=100${query ? `&q=${encodeURIComponent(query)}` : ""}`),
  });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: { role?: string; deactivated?: boolean } }) =>
      patch(`/api/admin/users/${id}`, body),
    onSettled: () => qc.invalidateQueries({ queryKey: ["admin-users"] }),
  });
  return (
    <Stack>
      <CreateUserForm />
      <TextInput
        label={t("admin.search")}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        type="search"
        maw={360}
      />
      <ProblemAlert error={list.error ?? update.error} />
      {list.data?.items.length === 0 && <Text>{t("admin.noResults")}</Text>}
      <Table.ScrollContainer minWidth={640}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("auth.displayName")}</Table.Th>
              <Table.Th>{t("auth.email")}</Table.Th>
              <Table.Th>{t("admin.role")}</Table.Th>
              <Table.Th>{t("admin.status")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data?.items.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>
                  {u.displayName}{" "}
                  <Text span c="dimmed" size="sm">
                    @{u.username}
                  </Text>
                </Table.Td>
                <Table.Td>{u.email}</Table.Td>
                <Table.Td>
                  <NativeSelect
                    aria-label={`${t("admin.role")} — ${u.displayName}`}
                    value={u.role}
                    disabled={u.id === me?.id}
                    onChange={(e) => update.mutate({ id: u.id, body: { role: e.currentTarget.value } })}
                    data={ROLES.map((r) => ({ value: r, label: t(`admin.roles.${r}`) }))}
                    size="xs"
                  />
                </Table.Td>
                <Table.Td>
                  <Badge color={u.deactivated ? "gray" : "green"} variant="light" mr="xs">
                    {u.deactivated ? t("admin.deactivated") : t("admin.active")}
                  </Badge>
                  {u.id !== me?.id && (
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() => update.mutate({ id: u.id, body: { deactivated: !u.deactivated } })}
                    >
                      {u.deactivated ? t("admin.reactivate") : t("admin.deactivate")}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
