import { ActionIcon, Group, Loader, ScrollArea, Stack, Text, Title } from "@mantine/core";
import { IconX } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { keys } from "./cache.ts";
import { Composer } from "./Composer.tsx";
import { useChatApi } from "./hooks.ts";
import type { MessageCallbacks } from "./MessageActions.tsx";
import { MessageItem, PendingItem, type Names } from "./MessageItem.tsx";
import { usePending } from "./pending.ts";
import { useSend } from "./useSend.ts";

/** A thread beside the room: its root, the replies, and a composer for replying. */
export function ThreadPanel({
  roomId,
  threadId,
  onClose,
  cb,
  names,
  confirm,
}: {
  roomId: string;
  threadId: string;
  onClose: () => void;
  cb: MessageCallbacks;
  names: Names;
  confirm: (text: string) => Promise<boolean>;
}) {
  const { t } = useTranslation("chat");
  const api = useChatApi();
  const thread = useQuery({
    queryKey: keys.thread(threadId),
    queryFn: () => api.thread(threadId),
    staleTime: Infinity,
  });
  const { send, retry, discard } = useSend(roomId, confirm);
  const pendingReplies = usePending(roomId, threadId);
  const [editingId, setEditingId] = useState<string | null>(null);
  const threadCb: MessageCallbacks = { ...cb, onThread: undefined, onEdit: (m) => setEditingId(m.id) };
  const panel = useRef<HTMLElement>(null);
  // A reply that arrives while the panel is open is said by its live region (the count when it opened is the base).
  const count = thread.data?.replies.length;
  const [base, setBase] = useState<{ threadId: string; count: number } | null>(null);
  if (count !== undefined && base?.threadId !== threadId) setBase({ threadId, count });
  const last = thread.data?.replies.at(-1);
  const said =
    last && count !== undefined && base && count > base.count
      ? t("thread.newReply", {
          name: last.author?.displayName ?? t("message.unknownAuthor"),
          text: last.deletedAt ? t("message.deleted") : last.text,
        })
      : "";
  // Opening a thread is to reply in it: the focus goes to its composer, not 30 Tab stops away.
  useEffect(() => {
    panel.current?.querySelector<HTMLElement>("[data-testid='composer']")?.focus();
  }, [threadId]);
  return (
    // Esc anywhere in the panel closes it (unless a field inside used it: a suggestion list, an edit).
    <aside
      ref={panel}
      className="chat-thread"
      aria-label={t("thread.title")}
      data-testid="thread-panel"
      onKeyDown={(e) => {
        if (e.key === "Escape" && !e.defaultPrevented) {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <Group justify="space-between" className="chat-header">
        <Title order={2} size="h5">
          {t("thread.title")}
        </Title>
        <ActionIcon variant="subtle" onClick={onClose} aria-label={t("thread.close")}>
          <IconX size={18} aria-hidden="true" />
        </ActionIcon>
      </Group>
      <ScrollArea className="chat-thread-scroll" type="auto">
        {thread.isPending ? (
          <Loader m="md" aria-label={t("room.loading")} />
        ) : thread.data ? (
          <Stack gap={0}>
            <MessageItem
              m={thread.data.root}
              grouped={false}
              highlighted={false}
              editing={editingId === thread.data.root.id}
              onEditDone={() => setEditingId(null)}
              cb={threadCb}
              names={names}
            />
            <Text size="xs" c="dimmed" px="md" py={4}>
              {t("thread.replies", { count: thread.data.replies.length })}
            </Text>
            {thread.data.replies.map((m) => (
              <MessageItem
                key={m.id}
                m={m}
                grouped={false}
                highlighted={false}
                editing={editingId === m.id}
                onEditDone={() => setEditingId(null)}
                cb={threadCb}
                names={names}
              />
            ))}
            {pendingReplies.map((p) => (
              <PendingItem
                key={p.clientKey}
                p={p}
                onRetry={() => retry(p.clientKey)}
                onDiscard={() => discard(p.clientKey)}
              />
            ))}
          </Stack>
        ) : (
          <Text role="alert" m="md">
            {t("room.loadFailed")}
          </Text>
        )}
      </ScrollArea>
      <div className="visually-hidden" role="status" data-testid="thread-announcer">
        {said}
      </div>
      <Composer roomId={roomId} parentId={threadId} placeholder={t("thread.reply")} onSend={send} />
    </aside>
  );
}
