import { useEffect, useState } from "react";
import { ActionIcon, Alert, Button, FileInput, Group, Stack, Text, TextInput, Title, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconTrash, IconUpload } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ConfirmDelete, DataTable, formatDate } from "@ensemble/ui";
import { CUSTOM_EMOJI_NAME, type CustomEmoji } from "../../shared/emoji-data.ts";
import { EMOJI } from "../emoji.ts";
import { CustomEmojiImage, customEmojiKey } from "../emoji/custom-emoji.tsx";
import { useHost } from "../host.tsx";
import { useProblemText } from "../i18n.ts";
import { adminApi, uploadEmoji } from "./admin-api.ts";

const MAX_BYTES = 256 * 1024;
const ACCEPT = "image/png,image/gif,image/jpeg,image/webp";

/** A name proposed from the file's: `Party Parrot.gif` → `party_parrot`. */
const nameFromFile = (file: string): string =>
  file
    .replace(/\.[^.]+$/, "")
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9_+-]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 32);

/** Custom emoji: add one (name, image, preview), list them, delete one after confirming. */
export function EmojiTab() {
  const { t, i18n } = useTranslation("chat");
  const api = adminApi(useHost());
  const qc = useQueryClient();
  const problem = useProblemText();
  const list = useQuery({ queryKey: customEmojiKey, queryFn: api.emoji });
  const [name, setName] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [removing, setRemoving] = useState<CustomEmoji | null>(null);

  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const nameError =
    name && !CUSTOM_EMOJI_NAME.test(name)
      ? t("admin.emoji.nameRule")
      : name && EMOJI.has(name)
        ? t("admin.emoji.nameBuiltIn")
        : null;
  const fileError = file && file.size > MAX_BYTES ? t("admin.emoji.tooLarge") : null;

  const upload = useMutation({
    mutationFn: () => uploadEmoji(name, file!),
    onSuccess: (e) => {
      notifications.show({ color: "green", message: t("admin.emoji.added", { name: `:${e.name}:` }) });
      setName("");
      setFile(null);
      void qc.invalidateQueries({ queryKey: customEmojiKey });
    },
  });
  const remove = useMutation({
    mutationFn: (e: CustomEmoji) => api.deleteEmoji(e.name),
    onSuccess: (_r, e) => {
      notifications.show({ message: t("admin.emoji.deleted", { name: `:${e.name}:` }) });
      setRemoving(null);
      void qc.invalidateQueries({ queryKey: customEmojiKey });
    },
    onError: (e) => notifications.show({ color: "red", message: problem(e) }),
  });
  const date = (iso: string) => formatDate(iso, "date", i18n.language);

  return (
    <Stack gap="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (file && name && !nameError && !fileError) upload.mutate();
        }}
        data-testid="emoji-upload-form"
      >
        <Stack maw={520} gap="sm">
          <Title order={3} size="h5">
            {t("admin.emoji.addTitle")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("admin.emoji.intro")}
          </Text>
          <FileInput
            label={t("admin.emoji.file")}
            description={t("admin.emoji.fileHint")}
            placeholder={t("admin.emoji.filePlaceholder")}
            accept={ACCEPT}
            value={file}
            clearable
            leftSection={<IconUpload size={16} aria-hidden="true" />}
            onChange={(f) => {
              setFile(f);
              if (f && !name) setName(nameFromFile(f.name));
            }}
            error={fileError}
            data-testid="emoji-file"
          />
          <TextInput
            label={t("admin.emoji.name")}
            description={t("admin.emoji.nameHint")}
            value={name}
            onChange={(e) => setName(e.currentTarget.value.trim().toLowerCase())}
            leftSection=":"
            rightSection=":"
            maxLength={32}
            error={nameError}
            required
          />
          {preview && (
            <Group gap="sm" data-testid="emoji-preview">
              <Text size="sm">{t("admin.emoji.preview")}</Text>
              <img
                src={preview}
                alt={t("admin.emoji.previewAlt")}
                width={32}
                height={32}
                style={{ objectFit: "contain" }}
              />
              <Text size="sm" c="dimmed">
                {t("admin.emoji.previewInText")}{" "}
                <img src={preview} alt="" className="chat-custom-emoji chat-custom-emoji-inline" />
              </Text>
            </Group>
          )}
          {upload.isError && (
            <Alert color="red" role="alert">
              {problem(upload.error)}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={upload.isPending} disabled={!file || !name || !!nameError || !!fileError}>
              {t("admin.emoji.add")}
            </Button>
          </Group>
        </Stack>
      </form>

      <Stack gap="sm">
        <Title order={3} size="h5">
          {t("admin.emoji.listTitle")}
        </Title>
        <DataTable
          rows={list.data?.items}
          loading={list.isPending}
          loadingLabel={t("admin.loading")}
          error={list.isError && <Alert color="red">{problem(list.error)}</Alert>}
          empty={
            <Text size="sm" c="dimmed" data-testid="emoji-empty">
              {t("admin.emoji.empty")}
            </Text>
          }
          minWidth={420}
          data-testid="emoji-list"
          rowKey={(e) => e.name}
          rowProps={(e) => ({ "data-testid": "emoji-row", "data-name": e.name })}
          columns={[
            { key: "image", header: t("admin.emoji.image"), cell: (e) => <CustomEmojiImage emoji={e} size="large" /> },
            { key: "name", header: t("admin.emoji.name"), cell: (e) => <code>:{e.name}:</code> },
            {
              key: "author",
              header: t("admin.emoji.author"),
              cell: (e) => e.createdBy?.displayName ?? t("admin.unknownPerson"),
            },
            { key: "date", header: t("admin.emoji.date"), cell: (e) => date(e.createdAt) },
          ]}
          actionsLabel={t("admin.actions")}
          actions={(e) => (
            <Tooltip label={t("admin.emoji.delete", { name: `:${e.name}:` })} withinPortal>
              <ActionIcon
                variant="subtle"
                color="red"
                onClick={() => setRemoving(e)}
                aria-label={t("admin.emoji.delete", { name: `:${e.name}:` })}
              >
                <IconTrash size={16} aria-hidden="true" />
              </ActionIcon>
            </Tooltip>
          )}
        />
      </Stack>

      <ConfirmDelete
        opened={removing !== null}
        title={t("admin.emoji.deleteTitle")}
        message={t("admin.emoji.deleteConfirm", { name: `:${removing?.name ?? ""}:` })}
        confirmLabel={t("admin.delete")}
        cancelLabel={t("admin.cancel")}
        loading={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing)}
        onCancel={() => setRemoving(null)}
      />
    </Stack>
  );
}
