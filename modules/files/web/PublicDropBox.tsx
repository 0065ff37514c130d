import { useRef, useState, type DragEvent } from "react";
import { useTranslation } from "react-i18next";
import { Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { IconCheck, IconInbox, IconUpload, IconX } from "@tabler/icons-react";
import { ApiProblem, useProblemText } from "@ensemble/ui";
import { publicLinkApi } from "./public-api.ts";

interface Sending {
  key: number;
  name: string;
  /** 0…1 while sending. */
  progress: number;
  state: "sending" | "sent" | "failed";
  /** The name it was saved under (a taken name gets « (2) »), or why it failed. */
  result?: string;
}

/** A « dépôt »: files dropped here or chosen go into the linked folder, each with its progress. */
export function PublicDropBox({
  token,
  access,
  folderName,
}: {
  token: string;
  access: string | null;
  folderName: string;
}) {
  const { t } = useTranslation("files");
  const problem = useProblemText("files");
  const input = useRef<HTMLInputElement>(null);
  const counter = useRef(0);
  const [over, setOver] = useState(false);
  const [items, setItems] = useState<Sending[]>([]);

  const update = (key: number, patch: Partial<Sending>) =>
    setItems((all) => all.map((i) => (i.key === key ? { ...i, ...patch } : i)));
  // One at a time, in the order given: the link's folder sees each arrive whole, and progress reads plainly.
  const send = async (files: File[]) => {
    const queued = files.map((f) => ({ file: f, key: ++counter.current }));
    setItems((all) => [
      ...all,
      ...queued.map(({ file, key }) => ({ key, name: file.name, progress: 0, state: "sending" as const })),
    ]);
    for (const { file, key } of queued) {
      try {
        const r = await publicLinkApi.drop(token, access, file, (p) => update(key, { progress: p }));
        update(key, { state: "sent", progress: 1, result: r.name });
      } catch (e) {
        const why = e instanceof ApiProblem && e.code === "files_quota_exceeded" ? t("public.quota") : problem(e);
        update(key, { state: "failed", result: why });
      }
    }
  };
  const dropped = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void send([...e.dataTransfer.files]);
  };

  return (
    <Stack gap="md">
      <Group gap="xs" wrap="nowrap">
        <IconInbox size={28} aria-hidden />
        <Title order={1}>{t("public.dropTitle")}</Title>
      </Group>
      <Text>{t("public.dropIntro", { name: folderName })}</Text>
      <Paper
        withBorder
        p="xl"
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={dropped}
        style={{ borderStyle: "dashed", borderWidth: 2, background: over ? "var(--mantine-color-blue-0)" : undefined }}
      >
        <Stack align="center" gap="sm">
          <IconUpload size={32} aria-hidden />
          <Text>{t("public.dropZone")}</Text>
          <input
            ref={input}
            type="file"
            multiple
            hidden
            data-testid="drop-input"
            onChange={(e) => {
              void send([...(e.currentTarget.files ?? [])]);
              e.currentTarget.value = "";
            }}
          />
          <Button onClick={() => input.current?.click()}>{t("public.choose")}</Button>
        </Stack>
      </Paper>
      {items.length > 0 && (
        <Stack component="section" gap="xs" aria-labelledby="drop-uploads">
          <Title order={2} size="h4" id="drop-uploads">
            {t("public.uploads")}
          </Title>
          <Stack component="ul" gap="xs" p={0} m={0} aria-live="polite" data-testid="drop-list">
            {items.map((i) => (
              <Stack component="li" key={i.key} gap={4} style={{ listStyle: "none" }}>
                {i.state === "sending" ? (
                  <>
                    <Text size="sm">{t("public.progress", { name: i.name })}</Text>
                    <progress
                      value={Math.round(i.progress * 100)}
                      max={100}
                      aria-label={t("public.progress", { name: i.name })}
                      style={{ width: "100%" }}
                    />
                  </>
                ) : (
                  <Group gap={6} wrap="nowrap">
                    {i.state === "sent" ? (
                      <IconCheck size={16} aria-hidden color="var(--mantine-color-green-8)" />
                    ) : (
                      <IconX size={16} aria-hidden color="var(--mantine-color-red-8)" />
                    )}
                    <Text size="sm" c={i.state === "failed" ? "red.9" : undefined}>
                      {i.state === "failed"
                        ? t("public.sendFailed", { name: i.name, why: i.result })
                        : i.result === i.name
                          ? t("public.sent", { name: i.name })
                          : t("public.sentAs", { name: i.name, as: i.result })}
                    </Text>
                  </Group>
                )}
              </Stack>
            ))}
          </Stack>
        </Stack>
      )}
    </Stack>
  );
}
