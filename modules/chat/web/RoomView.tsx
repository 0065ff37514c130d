import { useCallback, useEffect, useEffectEvent, useMemo, useRef, useState } from "react";
import { Button, Group, Loader, Modal, Text } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import type { ChatMessage, Room } from "../shared/schemas.ts";
import type { HistoryPage } from "./api.ts";
import { keys, patchSidebarRoom } from "./cache.ts";
import { Composer } from "./Composer.tsx";
import { ForwardModal } from "./ForwardModal.tsx";
import { useChatApi, useMembers, useRoom } from "./hooks.ts";
import { useHost } from "./host.tsx";
import { openRoom } from "./LiveRooms.tsx";
import type { MessageCallbacks } from "./MessageActions.tsx";
import { RoomHeader } from "./RoomHeader.tsx";
import { ArchivedBanner } from "./room-settings/ArchivedBanner.tsx";
import { focusMessage } from "./messageKeys.ts";
import { ThreadPanel } from "./ThreadPanel.tsx";
import { Timeline } from "./Timeline.tsx";
import { TypingIndicator } from "./TypingIndicator.tsx";
import { keptUnread } from "./unread.ts";
import { useSend } from "./useSend.ts";

/** Asks before notifying everyone (the API answered 409 mention_confirmation_required). */
export function useConfirmAll() {
  const [ask, setAsk] = useState<{ resolve: (ok: boolean) => void } | null>(null);
  const confirm = useCallback((_text: string) => new Promise<boolean>((resolve) => setAsk({ resolve })), []);
  const { t } = useTranslation("chat");
  const close = (ok: boolean) => {
    ask?.resolve(ok);
    setAsk(null);
  };
  const modal = (
    <Modal opened={!!ask} onClose={() => close(false)} title={t("composer.confirmAllTitle")} centered>
      <Text size="sm">{t("composer.confirmAll")}</Text>
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={() => close(false)}>
          {t("common.cancel")}
        </Button>
        <Button onClick={() => close(true)}>{t("composer.confirmAllSend")}</Button>
      </Group>
    </Modal>
  );
  return { confirm, modal };
}

export function RoomView({ roomId, onMenu }: { roomId: string; onMenu: () => void }) {
  const { t } = useTranslation("chat");
  const host = useHost();
  const api = useChatApi();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const room = useRoom(roomId);
  const members = useMembers(roomId);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [quote, setQuote] = useState<ChatMessage | null>(null);
  const [forward, setForward] = useState<ChatMessage | null>(null);
  const { confirm, modal } = useConfirmAll();
  const { send, retry, discard } = useSend(roomId, confirm);
  const threadId = params.get("thread");
  const focusId = params.get("message");
  // The read marker when the room was opened: the "new messages" divider stays put while reading.
  const [readAtOpen, setReadAtOpen] = useState<number | null>(null);
  const atBottom = useRef(true);

  useEffect(() => {
    openRoom.id = roomId;
    setReadAtOpen(null);
    setEditingId(null);
    setQuote(null);
    return () => {
      if (openRoom.id === roomId) openRoom.id = null;
    };
  }, [roomId]);
  useEffect(() => {
    // Nothing unread on arrival: what comes in while reading gets no divider.
    if (readAtOpen === null && room.data?.membership)
      setReadAtOpen(room.data.membership.unread > 0 ? room.data.membership.lastReadSeq : Number.MAX_SAFE_INTEGER);
  }, [room.data, readAtOpen]);
  // "Mark as unread" (unread.ts) moved the read marker back: the divider goes there, and
  // reading at the bottom no longer marks the room read until Esc or another room.
  const holdRead = useRef(false);
  useEffect(() => {
    holdRead.current = false;
    return () => void keptUnread.delete(roomId);
  }, [roomId]);
  useEffect(() => {
    const seq = room.data?.membership?.lastReadSeq;
    if (seq === undefined || keptUnread.get(roomId) !== seq) return;
    keptUnread.delete(roomId);
    holdRead.current = true;
    setReadAtOpen(seq);
    // On every copy of the room: the answer and the live refetch may arrive in either order.
  }, [room.data, roomId]);

  const markRead = useCallback(() => {
    const r = qc.getQueryData<Room>(keys.room(roomId));
    if (!r?.membership) return;
    patchSidebarRoom(qc, roomId, (x) =>
      x.membership ? { ...x, membership: { ...x.membership, unread: 0, mentions: 0 } } : x,
    );
    void api.markRead(roomId).then(
      (fresh) => qc.setQueryData(keys.room(roomId), fresh),
      () => {},
    );
  }, [api, qc, roomId]);

  // Reading at the bottom of an open, visible room marks it read (debounced).
  const history = useQuery({
    queryKey: keys.messages(roomId),
    queryFn: () => api.history(roomId, { limit: 50 }),
    staleTime: Infinity,
  }).data;
  const lastSeq = history?.items.at(-1)?.seq ?? 0;
  useEffect(() => {
    if (!room.data?.membership) return;
    const tm = setTimeout(() => {
      if (
        !holdRead.current &&
        !keptUnread.has(roomId) &&
        atBottom.current &&
        document.visibilityState === "visible" &&
        lastSeq > (qc.getQueryData<Room>(keys.room(roomId))?.membership?.lastReadSeq ?? 0)
      )
        markRead();
    }, 1_000);
    return () => clearTimeout(tm);
  }, [lastSeq, room.data?.membership, markRead, qc, roomId]);
  // Once per room opening, with the membership known then.
  const markReadOnOpen = useEffectEvent(() => {
    if (room.data?.membership && room.data.membership.unread > 0) markRead();
  });
  const openedId = room.data?.id;
  useEffect(() => {
    if (openedId) markReadOnOpen();
  }, [openedId]);

  const editLast = () => {
    const items = qc.getQueryData<HistoryPage>(keys.messages(roomId))?.items ?? [];
    const mine = [...items].reverse().find((m) => m.authorId === host.me.id && !m.deletedAt && m.kind === "user");
    if (mine) setEditingId(mine.id);
  };

  // The message callbacks are made once (every row receives them); setSearchParams changes with the URL
  // and applies its updater to the params it was made with, so they call the latest one.
  const latestSetParams = useRef(setParams);
  useEffect(() => {
    latestSetParams.current = setParams;
  }, [setParams]);
  const setParam = useCallback(
    (k: string, v: string | null) =>
      latestSetParams.current((p) => {
        const next = new URLSearchParams(p);
        if (v) next.set(k, v);
        else next.delete(k);
        return next;
      }),
    [],
  );

  const cb: MessageCallbacks = useMemo(
    () => ({
      onThread: (m) => setParam("thread", m.id),
      onEdit: (m) => setEditingId(m.id),
      onQuote: setQuote,
      onForward: setForward,
    }),
    [setParam],
  );

  if (room.isPending) return <Loader m="xl" aria-label={t("room.loading")} />;
  if (room.isError || !room.data)
    return (
      <Text m="md" role="alert">
        {t("room.notFound")}
      </Text>
    );
  const r = room.data;
  const archived = r.archivedAt !== null;
  return (
    <div className="chat-room-with-thread">
      <section className="chat-room" aria-label={t("room.region")}>
        <RoomHeader room={r} onMenu={onMenu} onOpenMessage={(id) => setParam("message", id)} />
        <Timeline
          roomId={roomId}
          lastReadSeq={readAtOpen}
          focusId={focusId}
          editingId={editingId}
          setEditingId={setEditingId}
          cb={cb}
          names={members.byId}
          onRetry={retry}
          onDiscard={discard}
          onAtBottom={(b) => (atBottom.current = b)}
        />
        <TypingIndicator roomId={roomId} names={members.byId} />
        {archived ? (
          <ArchivedBanner />
        ) : r.membership ? (
          <Composer
            roomId={roomId}
            placeholder={
              archived
                ? t("composer.archived")
                : t("composer.placeholder", { room: r.type === "dm" ? t("composer.thisConversation") : `#${r.slug}` })
            }
            disabled={archived}
            onSend={send}
            onEditLast={editLast}
            onEscape={() => {
              // Esc: everything read, the "new messages" divider goes.
              holdRead.current = false;
              keptUnread.delete(roomId);
              setReadAtOpen(Number.MAX_SAFE_INTEGER);
              markRead();
            }}
            quote={quote}
            onClearQuote={() => setQuote(null)}
          />
        ) : (
          <Group p="md" justify="center">
            <Text size="sm">{t("room.notMember")}</Text>
            <Button
              onClick={() =>
                void api.join(roomId).then(() => {
                  void qc.invalidateQueries({ queryKey: keys.room(roomId) });
                  void qc.invalidateQueries({ queryKey: keys.sidebar });
                })
              }
            >
              {t("room.join")}
            </Button>
          </Group>
        )}
      </section>
      {threadId && (
        <ThreadPanel
          roomId={roomId}
          threadId={threadId}
          onClose={() => {
            setParam("thread", null);
            // Back to the message the thread belongs to (or the list, when it is no longer drawn).
            if (!focusMessage(threadId)) document.querySelector<HTMLElement>(".chat-room [role='log']")?.focus();
          }}
          cb={cb}
          names={members.byId}
          confirm={confirm}
        />
      )}
      {modal}
      <ForwardModal message={forward} onClose={() => setForward(null)} />
    </div>
  );
}
