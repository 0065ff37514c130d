import { useState } from "react";
import { Button, Group, Modal, NativeSelect, Select, Stack, Table, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { del, get, patch, post } from "../api/client.ts";
import { ProblemAlert } from "../components/ProblemAlert.tsx";
import type { GroupMember } from "@ensemble/protocol/wire/accounts";

type Member = GroupMember;

/** A group's members: add someone from the directory, make them owner, remove them. */
export function GroupMembers({ groupId, name, onClose }: { groupId: string; name: string; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const key = ["group", groupId];
  const group = useQuery({ queryKey: key, queryFn: () => get<{ members: Member[] }>(`/api/groups/${groupId}`) });
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const people = useQuery({
    queryKey: ["directory", q],
    queryFn: () =>
      get<{ items: { id: string; displayName: string; username: string }[] }>(
        `/api/users?limit=20&q=${encodeURIComponent(q)}`,
      ),
    enabled: q.length >= 2,
  });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: key });
    void qc.invalidateQueries({ queryKey: ["groups"] });
  };
  const add = useMutation({
    mutationFn: (userId: string) => post(`/api/groups/${groupId}/members`, { userId }),
    onSuccess: refresh,
  });
  const setRole = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: string }) =>
      patch(`/api/groups/${groupId}/members/${userId}`, { role }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (userId: string) => del(`/api/groups/${groupId}/members/${userId}`),
    onSuccess: refresh,
  });
  const members = group.data?.members ?? [];
  const options = (people.data?.items ?? [])
    .filter((p) => !members.some((m) => m.user.id === p.id))
    .map((p) => ({ value: p.id, label: `${p.displayName} (@${p.username})` }));

  return (
    <Modal
      opened
      onClose={onClose}
      title={t("admin.groupMembers", { name })}
      size="lg"
      closeButtonProps={{ "aria-label": t("app.close") }}
    >
      <Stack>
        <ProblemAlert error={group.error ?? add.error ?? setRole.error ?? remove.error} />
        <Select
          label={t("admin.addMember")}
          placeholder={t("admin.searchPeople")}
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          data={options}
          value={null}
          onChange={(v) => {
            if (v) add.mutate(v);
            setSearch("");
          }}
          nothingFoundMessage={q.length >= 2 ? t("admin.noResults") : undefined}
        />
        {members.length === 0 && group.data && <Text c="dimmed">{t("admin.noResults")}</Text>}
        {members.length > 0 && (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("auth.displayName")}</Table.Th>
                <Table.Th>{t("admin.role")}</Table.Th>
                <Table.Th>
                  <span className="visually-hidden">{t("app.delete")}</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.map((m) => (
                <Table.Tr key={m.user.id}>
                  <Table.Td>{m.user.displayName}</Table.Td>
                  <Table.Td>
                    <NativeSelect
                      size="xs"
                      aria-label={`${t("admin.role")} — ${m.user.displayName}`}
                      value={m.role}
                      onChange={(e) => setRole.mutate({ userId: m.user.id, role: e.currentTarget.value })}
                      data={[
                        { value: "member", label: t("admin.groupRoles.member") },
                        { value: "owner", label: t("admin.groupRoles.owner") },
                      ]}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group justify="flex-end">
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        onClick={() => remove.mutate(m.user.id)}
                        aria-label={`${t("admin.removeMember")} — ${m.user.displayName}`}
                      >
                        {t("admin.removeMember")}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Modal>
  );
}
