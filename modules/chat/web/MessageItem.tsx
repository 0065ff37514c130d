import { memo, useState, type KeyboardEvent } from "react";
import { Anchor, Button, Group, Loader, Text, Textarea, Tooltip, UnstyledButton } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { ChatMessage } from "../shared/schemas.ts";
import { Attachments, PreviewCard } from "./Attachments.tsx";
import { shortcodeOf } from "./emoji.ts";
import { ReactionEmoji } from "./emoji/custom-emoji.tsx";
import { useChatApi } from "./hooks.ts";
import { useHost } from "./host.tsx";
import { useProblemText } from "./i18n.ts";
import { Markdown } from "./Markdown.tsx";
import { MessageActions, type MessageCallbacks } from "./MessageActions.tsx";
import { EditedMark, Forwarded } from "./MessageExtras.tsx";
import { PresenceDot } from "./PresenceDot.tsx";
import type { PendingMessage } from "./pending.ts";
import { useDates } from "@ensemble/ui";

export interface Names {
  get(id: string): { displayName: string } | undefined;
}

interface Props {
  m: ChatMessage;
  grouped: boolean;
  highlighted: boolean;
  editing: boolean;
  onEditDone: () => void;
  cb: MessageCallbacks;
  names: Names;
}

/** One message: author (unless grouped with the previous one), text, files, preview, reactions, thread summary. */
export const MessageItem = memo(function MessageItem({
  m,
  grouped,
  highlighted,
  editing,
  onEditDone,
  cb,
  names,
}: Props) {
  const { t } = useTranslation("chat");
  // The person's zone, as in the notification centre (and a re-render when they change it).
  const dates = useDates();
  const api = useChatApi();
  const { me } = useHost();
  const problem = useProblemText();
  const react = (emoji: string) =>
    void api.react(m.id, emoji).catch((e: unknown) => notifications.show({ color: "red", message: problem(e) }));
  if (m.kind === "system") {
    return (
      <Text size="sm" c="dimmed" ta="center" py={4} data-message-id={m.id}>
        {m.text}
      </Text>
    );
  }
  // Integrations post without an account, under the name they chose (meta.username).
  const integrationName = m.kind !== "user" ? (m.meta?.username ?? null) : null;
  const author = m.author?.displayName ?? integrationName ?? t("message.unknownAuthor");
  return (
    <article
      className={`chat-message${grouped ? " chat-grouped" : ""}${highlighted ? " chat-highlight" : ""}`}
      data-message-id={m.id}
      data-testid="message"
      // Reached with the arrow keys from the list (messageKeys.ts), not with Tab.
      tabIndex={-1}
      aria-keyshortcuts="ArrowUp ArrowDown Home End Shift+F10"
      aria-label={t("message.label", { author, time: dates.format(m.createdAt, "time") })}
    >
      {!grouped && (
        <Group gap={6} align="baseline">
          {m.authorId && <PresenceDot userId={m.authorId} />}
          <Text fw={700} size="sm" data-testid="message-author">
            {author}
          </Text>
          {(m.kind === "bot" || m.kind === "webhook") && (
            <Text size="xs" c="dimmed" span>
              {t("message.bot")}
            </Text>
          )}
          <Text size="xs" c="dimmed" component="time" dateTime={m.createdAt}>
            {dates.format(m.createdAt, "time")}
          </Text>
          {m.pinnedAt && (
            // Mantine's orange.9 is 4:1 on white; the theme's text colour of orange reads at 7:1.
            <Text size="xs" c="var(--mantine-color-orange-light-color)" span>
              {t("message.pinned")}
            </Text>
          )}
        </Group>
      )}
      {m.forwardedFromId && <Forwarded m={m} />}
      {m.quoteId && <Quoted id={m.quoteId} />}
      {m.deletedAt ? (
        <Text size="sm" fs="italic" c="dimmed" data-testid="message-deleted">
          {t("message.deleted")}
        </Text>
      ) : editing ? (
        <EditBox m={m} onDone={onEditDone} />
      ) : (
        <div data-testid="message-text">
          <Markdown text={m.text} meUsername={me.username} />
          {m.editedAt && <EditedMark m={m} />}
        </div>
      )}
      {m.attachments && m.attachments.length > 0 && <Attachments items={m.attachments} />}
      {m.preview && (
        <PreviewCard
          preview={m.preview}
          {...(m.authorId === me.id ? { onRemove: () => void api.removePreview(m.id) } : {})}
        />
      )}
      {m.reactions.length > 0 && (
        <Group gap={4} mt={4} data-testid="reactions">
          {m.reactions.map((r) => {
            const who = r.userIds
              .map((id) => (id === me.id ? t("message.you") : (names.get(id)?.displayName ?? "…")))
              .join(", ");
            return (
              <Tooltip
                key={r.emoji}
                label={t("message.reactedBy", { names: who, emoji: shortcodeOf(r.emoji) })}
                withinPortal
              >
                <UnstyledButton
                  className={`chat-reaction${r.mine ? " chat-reaction-mine" : ""}`}
                  onClick={() => react(r.emoji)}
                  aria-pressed={r.mine}
                  aria-label={t("message.reactionLabel", { emoji: shortcodeOf(r.emoji), count: r.count })}
                  data-emoji={r.emoji}
                >
                  <span aria-hidden="true">
                    <ReactionEmoji emoji={r.emoji} />
                  </span>{" "}
                  {r.count}
                </UnstyledButton>
              </Tooltip>
            );
          })}
        </Group>
      )}
      {cb.onThread && m.replyCount > 0 && !m.parentId && (
        <Anchor
          component="button"
          type="button"
          size="sm"
          onClick={() => cb.onThread?.(m)}
          data-testid="thread-summary"
        >
          {t("thread.replies", { count: m.replyCount })}
        </Anchor>
      )}
      {!m.deletedAt && !editing && <MessageActions m={m} cb={cb} onReact={react} />}
    </article>
  );
});

function Quoted({ id }: { id: string }) {
  const api = useChatApi();
  const q = useQuery({
    queryKey: ["chat", "message", id],
    queryFn: () => api.message(id),
    staleTime: 60_000,
    retry: false,
  });
  if (!q.data) return null;
  return (
    <blockquote className="chat-quote">
      <Text size="xs" fw={700}>
        {q.data.author?.displayName}
      </Text>
      <Text size="sm" lineClamp={3}>
        {q.data.text}
      </Text>
    </blockquote>
  );
}

function EditBox({ m, onDone }: { m: ChatMessage; onDone: () => void }) {
  const { t } = useTranslation("chat");
  const api = useChatApi();
  const problem = useProblemText();
  const [text, setText] = useState(m.text);
  const save = async () => {
    if (text.trim() === m.text.trim()) return onDone();
    try {
      await api.edit(m.id, text);
      onDone();
    } catch (e) {
      notifications.show({ color: "red", message: problem(e) });
    }
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      onDone();
    } else if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      void save();
    }
  };
  return (
    <div>
      <Textarea
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKey}
        autosize
        minRows={1}
        maxRows={10}
        autoFocus
        aria-label={t("message.editLabel")}
        data-testid="edit-box"
      />
      <Group gap="xs" mt={4}>
        <Button size="xs" onClick={() => void save()}>
          {t("common.save")}
        </Button>
        <Button size="xs" variant="default" onClick={onDone}>
          {t("common.cancel")}
        </Button>
      </Group>
    </div>
  );
}

/** A message not yet acknowledged: "sending…", or "failed" with retry (same client key) and discard. */
export function PendingItem({
  p,
  onRetry,
  onDiscard,
}: {
  p: PendingMessage;
  onRetry: () => void;
  onDiscard: () => void;
}) {
  const { t } = useTranslation("chat");
  const { me } = useHost();
  const problem = useProblemText();
  return (
    <article className="chat-message chat-pending" data-testid="pending-message" data-status={p.status}>
      <Text fw={700} size="sm">
        {me.displayName}
      </Text>
      <div style={{ opacity: 0.7 }}>
        <Markdown text={p.text} meUsername={me.username} />
      </div>
      {p.status === "sending" ? (
        <Group gap={4}>
          <Loader size={10} />
          <Text size="xs" c="dimmed" role="status">
            {t("message.sending")}
          </Text>
        </Group>
      ) : (
        <Group gap="xs">
          <Text size="xs" c="red.8" role="alert">
            {t("message.failed")}
            {p.error && ` — ${problem({ code: p.error })}`}
          </Text>
          <Button size="compact-xs" variant="light" onClick={onRetry}>
            {t("message.retry")}
          </Button>
          <Button size="compact-xs" variant="subtle" color="gray" onClick={onDiscard}>
            {t("message.discard")}
          </Button>
        </Group>
      )}
    </article>
  );
}
