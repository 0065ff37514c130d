import { ActionIcon, Button, Group, Paper, Progress, Stack, Text } from "@mantine/core";
import { IconPlayerPause, IconPlayerPlay, IconX } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { bytes } from "./format.ts";
import { uploadQueue, useUploadQueue, type QueuedUpload } from "./upload-queue.ts";

const percent = (sent: number, size: number) => (size === 0 ? 100 : Math.floor((sent / size) * 100));

/** The upload queue: a bar per file and one in total, pause / resume / cancel for each. */
export function UploadList() {
  const { t } = useTranslation("files");
  const items = useUploadQueue();
  if (items.length === 0) return null;
  const size = items.reduce((s, i) => s + i.size, 0);
  const sent = items.reduce((s, i) => s + i.sent, 0);
  const active = items.filter((i) => i.state !== "done").length;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="files-uploads-title" data-testid="files-uploads">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text id="files-uploads-title" fw={600}>
            {active ? t("uploads.title", { count: active }) : t("uploads.allDone")}
          </Text>
          {items.some((i) => i.state === "done") && (
            <Button variant="subtle" size="compact-sm" onClick={() => uploadQueue.clearFinished()}>
              {t("uploads.clear")}
            </Button>
          )}
        </Group>
        <Progress
          value={percent(sent, size)}
          aria-label={t("uploads.total", { sent: bytes(sent), size: bytes(size) })}
          data-testid="files-uploads-total"
        />
        <Text size="xs" c="dimmed">
          {t("uploads.total", { sent: bytes(sent), size: bytes(size) })}
        </Text>
        <Stack gap={6} component="ul" m={0} p={0} style={{ listStyle: "none" }}>
          {items.map((u) => (
            <UploadRow key={u.key} u={u} />
          ))}
        </Stack>
      </Stack>
    </Paper>
  );
}

function UploadRow({ u }: { u: QueuedUpload }) {
  const { t } = useTranslation("files");
  const state =
    u.state === "failed"
      ? t(`problems.${u.problem ?? "generic"}`, { defaultValue: t("problems.generic") })
      : t(`uploads.state.${u.state}`);
  return (
    <li data-testid="files-upload-row" data-state={u.state}>
      <Group gap="xs" wrap="nowrap">
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm" truncate>
              {u.name}
            </Text>
            <Text size="xs" c={u.state === "failed" ? "red" : "dimmed"} aria-live="polite">
              {state} · {percent(u.sent, u.size)} %
            </Text>
          </Group>
          <Progress
            size="sm"
            value={percent(u.sent, u.size)}
            color={u.state === "failed" ? "red" : u.state === "done" ? "green" : undefined}
            aria-label={t("uploads.file", { name: u.name, sent: bytes(u.sent), size: bytes(u.size) })}
          />
        </Stack>
        {u.state === "uploading" && (
          <ActionIcon
            variant="subtle"
            aria-label={t("uploads.pause", { name: u.name })}
            onClick={() => uploadQueue.pause(u.key)}
          >
            <IconPlayerPause size={16} />
          </ActionIcon>
        )}
        {(u.state === "paused" || u.state === "failed") && (
          <ActionIcon
            variant="subtle"
            aria-label={t("uploads.resume", { name: u.name })}
            onClick={() => uploadQueue.resume(u.key)}
          >
            <IconPlayerPlay size={16} />
          </ActionIcon>
        )}
        <ActionIcon
          variant="subtle"
          color={u.state === "done" ? "gray" : "red"}
          aria-label={t(u.state === "done" ? "uploads.dismiss" : "uploads.cancel", { name: u.name })}
          onClick={() => uploadQueue.remove(u.key)}
        >
          <IconX size={16} />
        </ActionIcon>
      </Group>
    </li>
  );
}
