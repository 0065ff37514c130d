import { useEffect, useState } from "react";
import { CloseButton, Group, Progress, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Attachment } from "../shared/schemas.ts";
import { uploadFile } from "./api.ts";
import { useProblemText } from "./i18n.ts";

interface Upload {
  id: string;
  name: string;
  progress: number;
  attachment: Attachment | null;
  error: string | null;
  abort: () => void;
}

/**
 * The files attached to the message being written: each uploads at once,
 * with its progress; the message can be sent when none is still uploading.
 * Emptied when the composer moves to another room or thread.
 */
export function useUploads(roomId: string, parentId: string | undefined) {
  const problem = useProblemText();
  const [uploads, setUploads] = useState<Upload[]>([]);
  useEffect(() => setUploads([]), [roomId, parentId]);

  const attach = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const id = crypto.randomUUID();
      const job = uploadFile(roomId, file, (f) =>
        setUploads((u) => u.map((x) => (x.id === id ? { ...x, progress: f } : x))),
      );
      setUploads((u) => [...u, { id, name: file.name, progress: 0, attachment: null, error: null, abort: job.abort }]);
      job.done.then(
        (r) => setUploads((u) => u.map((x) => (x.id === id ? { ...x, progress: 1, attachment: r.attachment } : x))),
        (e: unknown) => setUploads((u) => u.map((x) => (x.id === id ? { ...x, error: problem(e) } : x))),
      );
    }
  };
  const remove = (u: Upload) => {
    u.abort();
    setUploads((all) => all.filter((x) => x.id !== u.id));
  };
  return {
    uploads,
    attach,
    remove,
    clear: () => setUploads([]),
    ready: uploads.flatMap((u) => (u.attachment ? [u.attachment] : [])),
    busy: uploads.some((u) => !u.attachment && !u.error),
  };
}

export function UploadList({ uploads, onRemove }: { uploads: Upload[]; onRemove: (u: Upload) => void }) {
  const { t } = useTranslation("chat");
  return uploads.map((u) => (
    <Group
      key={u.id}
      gap="xs"
      wrap="nowrap"
      data-testid="upload"
      data-state={u.error ? "failed" : u.attachment ? "done" : "uploading"}
    >
      <Text size="xs" style={{ flex: 1 }} truncate>
        {u.name}
      </Text>
      {u.error ? (
        <Text size="xs" c="red.8" role="alert">
          {u.error}
        </Text>
      ) : (
        <Progress value={u.progress * 100} w={120} aria-label={t("composer.uploading", { name: u.name })} />
      )}
      <CloseButton size="sm" aria-label={t("composer.removeFile", { name: u.name })} onClick={() => onRemove(u)} />
    </Group>
  ));
}
