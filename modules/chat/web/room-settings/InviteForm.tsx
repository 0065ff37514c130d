import { useState } from "react";
import { Button, Group, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import { PeoplePicker, type Picked } from "@ensemble/ui";
import { useTranslation } from "react-i18next";
import type { Room } from "../../shared/schemas.ts";
import { keys } from "../cache.ts";
import { useProblemText } from "../i18n.ts";
import { useRoomSettingsApi } from "./room-api.ts";

/** Invite people from the directory and whole groups (their members at this moment). */
export function InviteForm({ room }: { room: Room }) {
  const { t } = useTranslation("chat");
  const api = useRoomSettingsApi();
  const qc = useQueryClient();
  const problem = useProblemText();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [people, setPeople] = useState<Picked[]>([]);
  const [groups, setGroups] = useState<Picked[]>([]);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.invite(room.id, {
        userIds: people.map((p) => p.id),
        groupIds: groups.map((g) => g.id),
      });
      setPeople([]);
      setGroups([]);
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
      <PeoplePicker
        label={t("roomSettings.invite.people")}
        value={people}
        onChange={setPeople}
        nothingFound={t("roomSettings.invite.nobody")}
        testId="invite-people"
      />
      <PeoplePicker
        label={t("roomSettings.invite.groups")}
        kinds={["group"]}
        value={groups}
        onChange={setGroups}
        nothingFound={t("roomSettings.invite.noGroup")}
        testId="invite-groups"
      />
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
          disabled={!people.length && !groups.length}
          data-testid="invite-submit"
        >
          {t("roomSettings.invite.submit")}
        </Button>
      </Group>
    </Stack>
  );
}
