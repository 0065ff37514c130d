import { useState } from "react";
import { ActionIcon, Anchor, Button, Card, Group, Image, Modal, Stack, Text } from "@mantine/core";
import { IconDownload, IconFile, IconPhone, IconX } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { Attachment, LinkPreview } from "../shared/schemas.ts";
import { formatSize } from "./hooks.ts";
import { inline, safeHref } from "./Markdown.tsx";

const fileUrl = (id: string) => `/api/chat/files/${encodeURIComponent(id)}`;
/** Images come through our own server (stored files, the preview proxy): never a third-party or protocol-relative address. */
const ownPath = (u: string | undefined): u is string => !!u && /^\/(?![/\\])/.test(u);

/** Files (images inline with a viewer, audio and video players, cards) and Slack-style attachments. */
export function Attachments({ items }: { items: Attachment[] }) {
  return (
    <Stack gap={6} mt={4}>
      {items.map((a, i) =>
        a.file ? (
          <FileAttachment key={i} file={a.file} />
        ) : a.call ? (
          <CallAttachment key={i} title={a.title ?? ""} call={a.call} />
        ) : (
          <RichAttachment key={i} a={a} />
        ),
      )}
    </Stack>
  );
}

function FileAttachment({ file }: { file: NonNullable<Attachment["file"]> }) {
  const { t, i18n } = useTranslation("chat");
  const [open, setOpen] = useState(false);
  const url = fileUrl(file.id);
  if (/^image\/(png|jpeg|gif|webp|avif)$/.test(file.mimeType)) {
    return (
      <>
        <button
          type="button"
          className="chat-image-button"
          onClick={() => setOpen(true)}
          aria-label={t("files.openImage", { name: file.name })}
        >
          <img
            src={`${url}/thumbnail`}
            alt={file.name}
            className="chat-image"
            data-testid="inline-image"
            onError={(e) => ((e.target as HTMLImageElement).src = url)}
          />
        </button>
        <Modal opened={open} onClose={() => setOpen(false)} title={file.name} size="auto" centered>
          <Image src={url} alt={file.name} mah="80vh" fit="contain" />
          <Anchor href={url} download={file.name} mt="xs" display="inline-block">
            {t("files.download")}
          </Anchor>
        </Modal>
      </>
    );
  }
  if (file.mimeType.startsWith("audio/")) return <audio controls preload="none" src={url} aria-label={file.name} />;
  if (file.mimeType.startsWith("video/"))
    return <video controls preload="metadata" src={url} aria-label={file.name} className="chat-video" />;
  return (
    <Card withBorder padding="xs" radius="md" maw={360} data-testid="file-card">
      <Group gap="sm" wrap="nowrap">
        <IconFile size={28} aria-hidden="true" />
        <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
          <Text size="sm" fw={600} truncate>
            {file.name}
          </Text>
          <Text size="xs" c="dimmed">
            {formatSize(file.size, i18n.language)} · {file.mimeType}
          </Text>
        </Stack>
        <ActionIcon
          component="a"
          href={url}
          download={file.name}
          variant="subtle"
          aria-label={t("files.downloadName", { name: file.name })}
        >
          <IconDownload size={18} aria-hidden="true" />
        </ActionIcon>
      </Group>
    </Card>
  );
}

/** A call started in the room: its title and a button to its meeting page (on this origin only). */
function CallAttachment({ title, call }: { title: string; call: NonNullable<Attachment["call"]> }) {
  const { t } = useTranslation("chat");
  return (
    <Card withBorder padding="xs" radius="md" maw={360} data-testid="call-card">
      <Group gap="sm" wrap="nowrap" justify="space-between">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text size="sm" fw={600} truncate>
            {t("call.title", { title })}
          </Text>
          <Text size="xs" c="dimmed">
            {t("call.code", { code: call.code })}
          </Text>
        </Stack>
        {ownPath(call.path) && (
          <Button component="a" href={call.path} size="xs" leftSection={<IconPhone size={16} aria-hidden="true" />}>
            {t("call.join")}
          </Button>
        )}
      </Group>
    </Card>
  );
}

function RichAttachment({ a }: { a: Attachment }) {
  const titleHref = a.title_link ? safeHref(a.title_link) : null;
  const colour = a.color && /^#?[0-9a-f]{3,8}$|^(good|warning|danger)$/i.test(a.color) ? a.color : undefined;
  const border =
    colour === "good"
      ? "#2b8a3e"
      : colour === "warning"
        ? "#e67700"
        : colour === "danger"
          ? "#c92a2a"
          : colour
            ? colour.startsWith("#")
              ? colour
              : `#${colour}`
            : "var(--mantine-color-gray-4)";
  return (
    <div className="chat-rich-attachment" style={{ borderInlineStartColor: border }}>
      {a.pretext && <Text size="sm">{inline(a.pretext, "")}</Text>}
      {a.author_name && (
        <Text size="xs" fw={600}>
          {ownPath(a.author_icon) && <img src={a.author_icon} alt="" className="chat-attachment-icon" />}
          {a.author_name}
        </Text>
      )}
      {a.title && (
        <Text size="sm" fw={700}>
          {titleHref ? (
            <a href={titleHref} target="_blank" rel="noopener noreferrer">
              {a.title}
            </a>
          ) : (
            a.title
          )}
        </Text>
      )}
      {a.text && <Text size="sm">{inline(a.text, "")}</Text>}
      {a.fields && (
        <div className="chat-fields">
          {a.fields.map((f, i) => (
            <div key={i} style={{ gridColumn: f.short ? "auto" : "1 / -1" }}>
              <Text size="xs" fw={700}>
                {f.title}
              </Text>
              <Text size="sm">{f.value}</Text>
            </div>
          ))}
        </div>
      )}
      {ownPath(a.image_url) && <img src={a.image_url} alt="" className="chat-image" />}
      {a.footer && (
        <Text size="xs" c="dimmed">
          {ownPath(a.footer_icon) && <img src={a.footer_icon} alt="" className="chat-attachment-icon" />}
          {a.footer}
        </Text>
      )}
    </div>
  );
}

/** The link preview; its sender (or a moderator) may remove it. */
export function PreviewCard({ preview, onRemove }: { preview: LinkPreview; onRemove?: () => void }) {
  const { t } = useTranslation("chat");
  const href = safeHref(preview.url);
  return (
    <Card withBorder padding="xs" radius="md" maw={480} mt={4} data-testid="link-preview">
      <Group align="flex-start" wrap="nowrap" gap="sm">
        {ownPath(preview.image) && <img src={preview.image} alt="" className="chat-preview-image" />}
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          {preview.siteName && (
            <Text size="xs" c="dimmed">
              {preview.siteName}
            </Text>
          )}
          {href ? (
            <Anchor href={href} target="_blank" rel="noopener noreferrer" fw={600} size="sm">
              {preview.title ?? preview.url}
            </Anchor>
          ) : (
            <Text fw={600} size="sm">
              {preview.title ?? preview.url}
            </Text>
          )}
          {preview.description && (
            <Text size="xs" lineClamp={3}>
              {preview.description}
            </Text>
          )}
        </Stack>
        {onRemove && (
          <ActionIcon variant="subtle" size="sm" onClick={onRemove} aria-label={t("message.removePreview")}>
            <IconX size={14} aria-hidden="true" />
          </ActionIcon>
        )}
      </Group>
    </Card>
  );
}
