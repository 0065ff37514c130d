import { useState, type FormEvent } from "react";
import { Button, Group, Stack, Table, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { get, post } from "../api/client.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import { GroupMembers } from "./GroupMembers.tsx";
import type { Group as GroupRow } from "@ensemble/protocol/wire/accounts";

export function GroupsTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const [open, setOpen] = useState<GroupRow | null>(null);
  const list = useQuery({ queryKey: ["groups"], queryFn: () => get<{ items: GroupRow[] }>("/api/groups?limit=100") });
  const create = useMutation({
    mutationFn: () => post("/api/groups", { name }),
    onSuccess: () => {
      setName("");
      void qc.invalidateQueries({ queryKey: ["groups"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Stack>
      {open && <GroupMembers groupId={open.id} name={open.name} onClose={() => setOpen(null)} />}
      <ProblemAlert error={list.error ?? create.error} />
      <form onSubmit={submit} noValidate>
        <Group align="end">
          <TextInput
            label={t("admin.groupName")}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
          />
          <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
            {t("admin.createGroup")}
          </Button>
        </Group>
      </form>
      {list.data?.items.length === 0 && <Text>{t("admin.noResults")}</Text>}
      {list.data && list.data.items.length > 0 && (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("admin.groupName")}</Table.Th>
              <Table.Th>{t("admin.members")}</Table.Th>
              <Table.Th>
                <span className="visually-hidden">{t("admin.manageMembers")}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((g) => (
              <Table.Tr key={g.id}>
                <Table.Td>{g.name}</Table.Td>
                <Table.Td>{g.memberCount}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="light"
                    onClick={() => setOpen(g)}
                    aria-label={`${t("admin.manageMembers")} — ${g.name}`}
                  >
                    {t("admin.manageMembers")}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
