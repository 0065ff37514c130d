import { useCallback, useEffect, useEffectEvent, useMemo, useRef, useState } from "react";
import { Button, Divider, Group, Loader, Text } from "@mantine/core";
import { IconArrowDown, IconArrowUp } from "@tabler/icons-react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { ChatMessage } from "../shared/schemas.ts";
import type { HistoryPage } from "./api.ts";
import { keys, mergeMessages } from "./cache.ts";
import { useChatApi } from "./hooks.ts";
import { useHost } from "./host.tsx";
import { focusJumpedTo, onMessageListKey } from "./messageKeys.ts";
import { MessageItem, PendingItem, type Names } from "./MessageItem.tsx";
import type { MessageCallbacks } from "./MessageActions.tsx";
import { usePending } from "./pending.ts";
import { SeenBy } from "./room-settings/SeenBy.tsx";
import { VirtualList, type VirtualListHandle } from "./VirtualList.tsx";
import { useDates } from "@ensemble/ui";

type Row =
  | { kind: "day"; key: string; label: string }
  | { kind: "new"; key: string }
  | { kind: "msg"; key: string; m: ChatMessage; grouped: boolean }
  | { kind: "pending"; key: string; clientKey: string };

const GROUP_MS = 5 * 60_000;

interface Props {
  roomId: string;
  /** Messages after this sequence number are new to the reader ("new messages" divider). */
  lastReadSeq: number | null;
  /** A message to show in context and highlight (search, permalink). */
  focusId: string | null;
  editingId: string | null;
  setEditingId: (id: string | null) => void;
  cb: MessageCallbacks;
  names: Names;
  onRetry: (clientKey: string) => void;
  onDiscard: (clientKey: string) => void;
  onAtBottom: (atBottom: boolean) => void;
}

/** The room's history: a window of messages that grows back in time (and forward after a jump). */
export function Timeline({
  roomId,
  lastReadSeq,
  focusId,
  editingId,
  setEditingId,
  cb,
  names,
  onRetry,
  onDiscard,
  onAtBottom,
}: Props) {
  const { t } = useTranslation("chat");
  const dates = useDates();
  const api = useChatApi();
  const meId = useHost().me.id;
  const qc = useQueryClient();
  const list = useRef<VirtualListHandle | null>(null);
  const [loading, setLoading] = useState<"older" | "newer" | null>(null);
  const [highlight, setHighlight] = useState<string | null>(null);
  const scrollTarget = useRef<string | null>(null);
  const [scrollTick, setScrollTick] = useState(0);
  const key = keys.messages(roomId);
  const page = useQuery({ queryKey: key, queryFn: () => api.history(roomId, { limit: 50 }), staleTime: Infinity });
  const pendingItems = usePending(roomId, null);

  const load = useCallback(
    async (dir: "older" | "newer") => {
      const key = keys.messages(roomId);
      const cur = qc.getQueryData<HistoryPage>(key);
      if (!cur || loading) return;
      const edge = dir === "older" ? cur.items[0] : cur.items.at(-1);
      if (!edge || (dir === "older" ? !cur.hasMoreBefore : !cur.hasMoreAfter)) return;
      setLoading(dir);
      try {
        const next = await api.history(
          roomId,
          dir === "older" ? { before: edge.id, limit: 50 } : { after: edge.id, limit: 50 },
        );
        qc.setQueryData<HistoryPage>(key, (p) =>
          p
            ? {
                items: mergeMessages(p.items, next.items),
                hasMoreBefore: dir === "older" ? next.hasMoreBefore : p.hasMoreBefore,
                hasMoreAfter: dir === "newer" ? next.hasMoreAfter : p.hasMoreAfter,
              }
            : p,
        );
      } finally {
        setLoading(null);
      }
    },
    [api, qc, roomId, loading],
  );

  // Jump to a message: load the page around it when it is not in the window.
  const jumpTo = useCallback(
    async (id: string) => {
      const key = keys.messages(roomId);
      const cur = qc.getQueryData<HistoryPage>(key);
      if (!cur?.items.some((m) => m.id === id)) {
        const around = await api.history(roomId, { around: id, limit: 50 });
        qc.setQueryData<HistoryPage>(key, around);
      }
      setHighlight(id);
      // Scrolled once the row is in the rendered list (a page loaded around it renders later).
      scrollTarget.current = id;
      setScrollTick((n) => n + 1);
    },
    [api, qc, roomId],
  );
  // Only when the target changes (or the room's first page arrives), not when jumpTo or the page does.
  const jumpToFocus = useEffectEvent((id: string) => void jumpTo(id).catch(() => {}));
  const hasPage = !!page.data;
  useEffect(() => {
    if (focusId && hasPage) jumpToFocus(focusId);
  }, [focusId, hasPage]);
  useEffect(() => {
    if (!highlight) return;
    const tm = setTimeout(() => setHighlight(null), 4_000);
    return () => clearTimeout(tm);
  }, [highlight]);

  const toPresent = async () => {
    if (page.data?.hasMoreAfter) qc.setQueryData<HistoryPage>(key, await api.history(roomId, { limit: 50 }));
    list.current?.scrollToBottom();
  };

  const items = page.data?.items;
  const lastMineId = useMemo(
    () =>
      items
        ? [...items].reverse().find((m) => m.authorId === meId && !m.deletedAt && m.kind === "user")?.id
        : undefined,
    [items, meId],
  );
  const firstUnread = useMemo(
    () =>
      lastReadSeq === null
        ? null
        : (items?.find((m) => m.seq > lastReadSeq && !m.deletedAt && m.authorId !== meId) ?? null),
    [items, lastReadSeq, meId],
  );
  const rows = useMemo(() => {
    const out: Row[] = [];
    let prev: ChatMessage | null = null;
    for (const m of items ?? []) {
      // Days as the person lives them (their zone), not UTC's.
      const day = dates.dayKey(m.createdAt);
      const newDay = !prev || dates.dayKey(prev.createdAt) !== day;
      if (newDay)
        out.push({
          kind: "day",
          key: `day-${day}`,
          label: dates.format(m.createdAt, "day"),
        });
      const isNew = firstUnread?.id === m.id;
      if (isNew) out.push({ kind: "new", key: "new-divider" });
      const grouped =
        !!prev &&
        !newDay &&
        !isNew &&
        prev.authorId === m.authorId &&
        m.kind === "user" &&
        prev.kind === "user" &&
        !prev.deletedAt &&
        Date.parse(m.createdAt) - Date.parse(prev.createdAt) < GROUP_MS;
      out.push({ kind: "msg", key: m.id, m, grouped });
      prev = m;
    }
    if (!page.data?.hasMoreAfter)
      for (const p of pendingItems)
        out.push({ kind: "pending", key: `pending-${p.clientKey}`, clientKey: p.clientKey });
    return out;
  }, [items, firstUnread, pendingItems, page.data?.hasMoreAfter, dates]);

  useEffect(() => {
    // Runs after the list's own effects, so its handle knows the new rows.
    const id = scrollTarget.current;
    if (id && list.current && rows.some((r) => r.key === id)) {
      scrollTarget.current = null;
      list.current?.scrollToKey(id);
      focusJumpedTo(id);
    }
  }, [rows, scrollTick]);

  if (page.isPending) return <Loader m="xl" aria-label={t("room.loading")} />;
  if (page.isError)
    return (
      <Text c="red.8" m="md" role="alert">
        {t("room.loadFailed")}
      </Text>
    );
  const pendingByKey = new Map(pendingItems.map((p) => [p.clientKey, p]));

  return (
    <div className="chat-timeline" onKeyDown={onMessageListKey}>
      <Group gap="xs" className="chat-jumps">
        {firstUnread && (
          <Button
            size="compact-xs"
            variant="light"
            leftSection={<IconArrowUp size={12} />}
            onClick={() => void jumpTo(firstUnread.id)}
          >
            {t("room.jumpToUnread")}
          </Button>
        )}
        {page.data.hasMoreAfter && (
          <Button
            size="compact-xs"
            variant="light"
            leftSection={<IconArrowDown size={12} />}
            onClick={() => void toPresent()}
            data-testid="jump-to-present"
          >
            {t("room.jumpToPresent")}
          </Button>
        )}
      </Group>
      {loading === "older" && <Loader size="xs" mx="auto" my={4} aria-label={t("room.loadingOlder")} />}
      <VirtualList
        className="chat-scroller"
        handle={list}
        label={t("room.messages")}
        items={rows}
        itemKey={(r) => r.key}
        canAnchor={(k) => !k.startsWith("day-") && k !== "new-divider"}
        onNearTop={() => void load("older")}
        onNearBottom={() => void load("newer")}
        onAtBottomChange={onAtBottom}
        render={(r) => {
          if (r.kind === "day") return <Divider my="xs" label={r.label} labelPosition="center" role="separator" />;
          if (r.kind === "new")
            return (
              <Divider
                my={4}
                color="red.8"
                label={
                  <Text size="xs" c="red.8" fw={700}>
                    {t("room.newMessages")}
                  </Text>
                }
                labelPosition="right"
                data-testid="new-divider"
              />
            );
          if (r.kind === "pending") {
            const p = pendingByKey.get(r.clientKey);
            return p ? (
              <PendingItem p={p} onRetry={() => onRetry(p.clientKey)} onDiscard={() => onDiscard(p.clientKey)} />
            ) : null;
          }
          const item = (
            <MessageItem
              m={r.m}
              grouped={r.grouped}
              highlighted={highlight === r.m.id}
              editing={editingId === r.m.id}
              onEditDone={() => setEditingId(null)}
              cb={cb}
              names={names}
            />
          );
          // "Seen by" under one's own latest message only (the readers of it have read the earlier ones too).
          return r.m.id === lastMineId ? (
            <>
              {item}
              <SeenBy roomId={roomId} messageId={r.m.id} />
            </>
          ) : (
            item
          );
        }}
      />
    </div>
  );
}
