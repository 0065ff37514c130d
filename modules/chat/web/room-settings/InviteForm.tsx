import { useState } from "react";
import { Button, Group, MultiSelect, Stack, Text, type OptionsFilter } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Room } from "../../shared/schemas.ts";
import { keys } from "../cache.ts";
import { useProblemText } from "../i18n.ts";
import { useRoomSettingsApi } from "./room-api.ts";

interface Option {
  value: string;
  label: string;
}

/** A search box over the directory or the groups, keeping what was picked between searches. */
function usePicker(search: (q: string) => Promise<Option[]>, name: string) {
  const [text, setText] = useState("");
  const [query] = useDebouncedValue(text.trim(), 200);
  const [picked, setPicked] = useState<Option[]>([]);
  const found = useQuery({ queryKey: ["chat", "invite-search", name, query], queryFn: () => search(query) });
  const options = [...picked, ...(found.data ?? []).filter((o) => !picked.some((p) => p.value === o.value))];
  return {
    picked,
    clear: () => setPicked([]),
    props: {
      data: options,
      value: picked.map((p) => p.value),
      onChange: (ids: string[]) =>
        setPicked(ids.map((id) => options.find((o) => o.value === id)).filter((o): o is Option => !!o)),
      searchable: true,
      searchValue: text,
      onSearchChange: setText,
      // The server already searched (accent- and case-insensitive).
      filter: (({ options: o }) => o) as OptionsFilter,
      nothingFoundMessage: found.isFetching ? undefined : name,
    },
  };
}

/** Invite people from the directory and whole groups (their members at this moment). */
export function InviteForm({ room }: { room: Room }) {
  const { t } = useTranslation("chat");
  const api = useRoomSettingsApi();
  const qc = useQueryClient();
  const problem = useProblemText();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const people = usePicker(
    async (q) => (await api.people(q)).items.map((p) => ({ value: p.id, label: `${p.displayName} (@${p.username})` })),
    t("roomSettings.invite.nobody"),
  );
  const groups = usePicker(
    async (q) => (await api.groups(q)).items.map((g) => ({ value: g.id, label: g.name })),
    t("roomSettings.invite.noGroup"),
  );

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.invite(room.id, {
        userIds: people.picked.map((p) => p.value),
        groupIds: groups.picked.map((g) => g.value),
      });
      people.clear();
      groups.clear();
      notifications.show({
        message: r.added.length
          ? t("roomSettings.invite.added", { count: r.added.length })
          : t("roomSettings.invite.alreadyIn"),
      });
      void qc.invalidateQueries({ queryKey: keys.members(room.id) });
      void qc.invalidateQueries({ queryKey: keys.room(room.id) });
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="xs" component="section" aria-labelledby="room-invite-title">
      <Text fw={600} size="sm" id="room-invite-title">
        {t("roomSettings.invite.title")}
      </Text>
      <MultiSelect label={t("roomSettings.invite.people")} {...people.props} data-testid="invite-people" />
      <MultiSelect label={t("roomSettings.invite.groups")} {...groups.props} data-testid="invite-groups" />
      {error && (
        <Text size="sm" c="red.8" role="alert">
          {error}
        </Text>
      )}
      <Group justify="flex-end">
        <Button
          size="xs"
          onClick={() => void submit()}
          loading={busy}
          disabled={!people.picked.length && !groups.picked.length}
          data-testid="invite-submit"
        >
          {t("roomSettings.invite.submit")}
        </Button>
      </Group>
    </Stack>
  );
}
