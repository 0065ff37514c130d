import { useState } from "react";
import { Alert, Button, Group, Stack, Switch, Text, Textarea, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Room } from "../../shared/schemas.ts";
import { keys } from "../cache.ts";
import { problemCode } from "../host.tsx";
import { useProblemText } from "../i18n.ts";
import { AvatarField } from "./AvatarField.tsx";
import { roomCan } from "./can.ts";
import { useRoomSettingsApi, type RoomPatch } from "./room-api.ts";

interface Form {
  name: string;
  slug: string;
  topic: string;
  description: string;
  announcement: boolean;
  membersCanMentionAll: boolean;
  membersCanInvite: boolean;
}

const formOf = (r: Room): Form => ({
  name: r.name,
  slug: r.slug ?? "",
  topic: r.topic,
  description: r.description,
  announcement: r.announcement,
  membersCanMentionAll: r.settings.membersCanMentionAll,
  membersCanInvite: r.settings.membersCanInvite,
});

/** Only what changed is sent (PATCH), so a colleague's change to another field is not overwritten. */
function changes(from: Form, to: Form): RoomPatch {
  const out: RoomPatch = {};
  for (const k of Object.keys(to) as (keyof Form)[])
    if (from[k] !== to[k]) Object.assign(out, { [k]: typeof to[k] === "string" ? to[k].trim() : to[k] });
  return out;
}

/** Name, address, topic, description, picture and member permissions; read-only without "manage". */
export function GeneralTab({ room }: { room: Room }) {
  const { t } = useTranslation("chat");
  const api = useRoomSettingsApi();
  const qc = useQueryClient();
  const problem = useProblemText();
  const editable = roomCan(room, "manage");
  const [saved, setSaved] = useState<Form>(() => formOf(room));
  const [form, setForm] = useState<Form>(saved);
  const [error, setError] = useState<{ slug?: string; other?: string }>({});
  const [busy, setBusy] = useState(false);
  const patch = changes(saved, form);
  const dirty = Object.keys(patch).length > 0;
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));

  const save = async () => {
    setBusy(true);
    setError({});
    try {
      const next = await api.update(room.id, patch);
      qc.setQueryData(keys.room(room.id), next);
      void qc.invalidateQueries({ queryKey: keys.sidebar });
      const f = formOf(next);
      setSaved(f);
      setForm(f);
      notifications.show({ message: t("roomSettings.general.saved") });
    } catch (e) {
      // The only unique field: a conflict is the address being taken.
      if (problemCode(e) === "conflict" && patch.slug !== undefined)
        setError({ slug: t("roomSettings.general.slugTaken") });
      else setError({ other: problem(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (editable && dirty) void save();
      }}
    >
      <Stack gap="sm">
        {!editable && (
          <Text size="sm" c="dimmed" data-testid="settings-read-only">
            {room.archivedAt ? t("roomSettings.general.readOnlyArchived") : t("roomSettings.general.readOnly")}
          </Text>
        )}
        <AvatarField room={room} editable={editable} />
        <TextInput
          label={t("roomSettings.general.name")}
          value={form.name}
          onChange={(e) => set("name", e.currentTarget.value)}
          readOnly={!editable}
          maxLength={80}
          required
        />
        <TextInput
          label={t("roomSettings.general.slug")}
          description={t("roomSettings.general.slugHelp")}
          value={form.slug}
          onChange={(e) => set("slug", e.currentTarget.value.toLowerCase())}
          readOnly={!editable}
          maxLength={80}
          required
          error={error.slug}
        />
        <TextInput
          label={t("roomSettings.general.topic")}
          value={form.topic}
          onChange={(e) => set("topic", e.currentTarget.value)}
          readOnly={!editable}
          maxLength={250}
        />
        <Textarea
          label={t("roomSettings.general.description")}
          value={form.description}
          onChange={(e) => set("description", e.currentTarget.value)}
          readOnly={!editable}
          maxLength={1000}
          autosize
          minRows={2}
          maxRows={6}
        />
        <Switch
          label={t("roomSettings.general.announcement")}
          description={t("roomSettings.general.announcementHelp")}
          checked={form.announcement}
          onChange={(e) => set("announcement", e.currentTarget.checked)}
          disabled={!editable}
        />
        <Switch
          label={t("roomSettings.general.mentionAll")}
          checked={form.membersCanMentionAll}
          onChange={(e) => set("membersCanMentionAll", e.currentTarget.checked)}
          disabled={!editable}
        />
        <Switch
          label={t("roomSettings.general.invite")}
          checked={form.membersCanInvite}
          onChange={(e) => set("membersCanInvite", e.currentTarget.checked)}
          disabled={!editable}
        />
        {error.other && (
          <Alert color="red" role="alert">
            {error.other}
          </Alert>
        )}
        {editable && (
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setForm(saved)} disabled={!dirty || busy}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" disabled={!dirty || !form.name.trim() || !form.slug.trim()} loading={busy}>
              {t("common.save")}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
