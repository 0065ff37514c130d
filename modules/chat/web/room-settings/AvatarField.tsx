import { useEffect, useState } from "react";
import { Avatar, Button, FileButton, Group, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Room } from "../../shared/schemas.ts";
import { keys } from "../cache.ts";
import { useProblemText } from "../i18n.ts";
import { useRoomSettingsApi } from "./room-api.ts";

const MAX_BYTES = 1_048_576;
const ACCEPT = "image/png,image/jpeg,image/webp,image/gif";

/** The room's picture: choose a file, see it, then keep it; or remove the current one. */
export function AvatarField({ room, editable }: { room: Room; editable: boolean }) {
  const { t } = useTranslation("chat");
  const api = useRoomSettingsApi();
  const qc = useQueryClient();
  const problem = useProblemText();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const pick = (f: File | null) => {
    setError(null);
    if (f && f.size > MAX_BYTES) {
      setFile(null);
      return setError(t("roomSettings.avatar.tooLarge"));
    }
    setFile(f);
  };

  const run = async (call: () => Promise<Room>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      qc.setQueryData(keys.room(room.id), await call());
      void qc.invalidateQueries({ queryKey: keys.sidebar });
      setFile(null);
      notifications.show({ message: done });
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id="room-avatar-label">
        {t("roomSettings.avatar.label")}
      </Text>
      <Group gap="sm" wrap="wrap">
        <Avatar
          src={preview ?? room.avatarUrl}
          size={64}
          radius="md"
          name={room.name}
          alt={t("roomSettings.avatar.alt")}
          data-testid="avatar-preview"
        />
        {editable && !file && (
          <>
            <FileButton onChange={pick} accept={ACCEPT}>
              {(props) => (
                <Button
                  {...props}
                  variant="default"
                  size="xs"
                  aria-describedby="room-avatar-help"
                  data-testid="avatar-choose"
                >
                  {t("roomSettings.avatar.choose")}
                </Button>
              )}
            </FileButton>
            {room.avatarUrl && (
              <Button
                variant="subtle"
                color="red"
                size="xs"
                loading={busy}
                onClick={() => void run(() => api.removeAvatar(room.id), t("roomSettings.avatar.removed"))}
              >
                {t("roomSettings.avatar.remove")}
              </Button>
            )}
          </>
        )}
        {editable && file && (
          <>
            <Button
              size="xs"
              loading={busy}
              onClick={() => void run(() => api.setAvatar(room.id, file), t("roomSettings.avatar.saved"))}
              data-testid="avatar-save"
            >
              {t("roomSettings.avatar.use")}
            </Button>
            <Button variant="default" size="xs" onClick={() => setFile(null)} disabled={busy}>
              {t("common.cancel")}
            </Button>
          </>
        )}
      </Group>
      {editable && (
        <Text size="xs" c="dimmed" id="room-avatar-help">
          {t("roomSettings.avatar.help")}
        </Text>
      )}
      {error && (
        <Text size="sm" c="red.8" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}
