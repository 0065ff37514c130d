import { useState } from "react";
import { Alert, Button, Group, Modal, Select, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import type { Room } from "../../shared/schemas.ts";
import { keys } from "../cache.ts";
import { problemCode, useHost } from "../host.tsx";
import { useProblemText } from "../i18n.ts";
import { roomCan } from "./can.ts";
import { useRoomSettingsApi } from "./room-api.ts";

/** Archive or unarchive the room, and leave it (the last owner hands it over first). */
export function ArchiveLeaveTab({ room, onDone }: { room: Room; onDone: () => void }) {
  const { t } = useTranslation("chat");
  const { me } = useHost();
  const api = useRoomSettingsApi();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const problem = useProblemText();
  const [confirm, setConfirm] = useState<"archive" | "leave" | null>(null);
  const [heir, setHeir] = useState<string | null>(null);
  const [askHeir, setAskHeir] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const archived = room.archivedAt !== null;
  const mayArchive = roomCan(room, "archive");
  const mayLeave = roomCan(room, "leave");
  // Who could take the room over: the server answers up to 500 members per page, enough to pick from.
  // The server knows who the owners are: it says when the viewer is the last one (`mustNameSuccessor`), and a
  // refusal (409) from a room that changed meanwhile asks the same question.
  const needHeir = room.mustNameSuccessor === true || askHeir;
  const members = useQuery({
    queryKey: [...keys.members(room.id), "heirs"],
    queryFn: () => api.members(room.id, null, 500),
    enabled: needHeir && confirm === "leave",
  });
  const others = (members.data?.items ?? []).filter((m) => m.user.id !== me.id);

  const close = () => {
    setConfirm(null);
    setError(null);
    setHeir(null);
    setAskHeir(false);
  };

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      if (confirm === "archive") {
        qc.setQueryData(keys.room(room.id), await api.archive(room.id, !archived));
        notifications.show({
          message: archived ? t("roomSettings.archive.unarchived") : t("roomSettings.archive.archived"),
        });
        void qc.invalidateQueries({ queryKey: keys.sidebar });
        close();
      } else if (confirm === "leave") {
        await api.leave(room.id, needHeir && heir ? heir : undefined);
        await qc.invalidateQueries({ queryKey: keys.sidebar });
        notifications.show({ message: t("roomSettings.leave.left", { room: room.name }) });
        close();
        onDone();
        navigate("/chat");
      }
    } catch (e) {
      // The server knows best who the owners are: asked for a new owner, we ask the person.
      if (confirm === "leave" && problemCode(e) === "conflict" && !needHeir) setAskHeir(true);
      else setError(problem(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="lg">
      {mayArchive && (
        <Stack gap={4} component="section">
          <Text fw={600} size="sm">
            {archived ? t("roomSettings.archive.unarchive") : t("roomSettings.archive.archive")}
          </Text>
          <Text size="sm" c="dimmed">
            {archived ? t("roomSettings.archive.unarchiveHelp") : t("roomSettings.archive.archiveHelp")}
          </Text>
          <Group>
            <Button
              variant="light"
              color={archived ? undefined : "orange"}
              onClick={() => setConfirm("archive")}
              data-testid="archive-button"
            >
              {archived ? t("roomSettings.archive.unarchive") : t("roomSettings.archive.archive")}
            </Button>
          </Group>
        </Stack>
      )}
      {mayLeave ? (
        <Stack gap={4} component="section">
          <Text fw={600} size="sm">
            {t("roomSettings.leave.title")}
          </Text>
          <Text size="sm" c="dimmed">
            {room.type === "channel" ? t("roomSettings.leave.helpChannel") : t("roomSettings.leave.helpPrivate")}
          </Text>
          <Group>
            <Button variant="light" color="red" onClick={() => setConfirm("leave")} data-testid="leave-button">
              {t("roomSettings.leave.title")}
            </Button>
          </Group>
        </Stack>
      ) : (
        room.isDefault && (
          <Text size="sm" c="dimmed">
            {t("roomSettings.leave.defaultRoom")}
          </Text>
        )
      )}
      <Modal
        opened={confirm !== null}
        onClose={close}
        title={
          confirm === "leave"
            ? t("roomSettings.leave.confirmTitle")
            : archived
              ? t("roomSettings.archive.unarchiveTitle")
              : t("roomSettings.archive.archiveTitle")
        }
        centered
        closeButtonProps={{ "aria-label": t("roomSettings.close") }}
      >
        <Stack gap="sm">
          <Text size="sm">
            {confirm === "leave"
              ? t("roomSettings.leave.confirm", { room: room.name })
              : archived
                ? t("roomSettings.archive.unarchiveConfirm")
                : t("roomSettings.archive.archiveConfirm")}
          </Text>
          {confirm === "leave" && needHeir && (
            <Select
              label={t("roomSettings.leave.newOwner")}
              description={t("roomSettings.leave.newOwnerHelp")}
              data={others.map((m) => ({ value: m.user.id, label: m.user.displayName }))}
              value={heir}
              onChange={setHeir}
              searchable
              required
              data-testid="new-owner"
            />
          )}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t("common.cancel")}
            </Button>
            <Button
              color={confirm === "leave" ? "red" : undefined}
              onClick={() => void run()}
              loading={busy}
              disabled={confirm === "leave" && needHeir && !heir}
              data-testid="confirm-action"
            >
              {confirm === "leave"
                ? t("roomSettings.leave.title")
                : archived
                  ? t("roomSettings.archive.unarchive")
                  : t("roomSettings.archive.archive")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
