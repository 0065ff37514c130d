import { useEffect, useRef } from "react";
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import type { WireEvent } from "@ensemble/protocol";
import type { ChatEventPayloads } from "../shared/events.ts";
import { chatApi, type HistoryPage } from "./api.ts";
import { keys, mergeMessages, patchMessage, patchSidebarRoom, toggleReaction, upsertMessage } from "./cache.ts";
import { useHost, type ChatHost } from "./host.tsx";
import { pending } from "./pending.ts";
import { showEphemeral } from "./integrations/slash.tsx";
import { hiddenRooms } from "./room-settings/hidden-rooms.ts";

type AnyChatEvent = {
  [K in keyof ChatEventPayloads]: { name: K; payload: ChatEventPayloads[K] };
}[keyof ChatEventPayloads];

/** The room on screen: its new messages do not count as unread while it is open. */
export const openRoom: { id: string | null } = { id: null };

function apply(qc: QueryClient, host: ChatHost, roomId: string, e: AnyChatEvent): void {
  const meId = host.me.id;
  switch (e.name) {
    case "chat.message.created": {
      const m = e.payload.message;
      if (m.authorId === meId) pending.settle(m.clientKey);
      upsertMessage(qc, m, true);
      // A room hidden in this visit comes back to the sidebar with its new message.
      if (hiddenRooms.has(roomId) && m.authorId !== meId) void qc.invalidateQueries({ queryKey: keys.sidebar });
      const inChannel = m.parentId === null || m.alsoInChannel;
      if (m.authorId !== meId && inChannel && openRoom.id !== roomId) {
        const n = e.payload.notify;
        const mentioned = n.mentionedUserIds.includes(meId) || n.all || n.here || n.directRecipientIds.includes(meId);
        patchSidebarRoom(qc, roomId, (r) =>
          r.membership
            ? {
                ...r,
                lastMessageAt: m.createdAt,
                membership: {
                  ...r.membership,
                  unread: r.membership.unread + 1,
                  mentions: r.membership.mentions + (mentioned ? 1 : 0),
                },
              }
            : r,
        );
      }
      return;
    }
    case "chat.message.updated":
      return upsertMessage(qc, e.payload.message, false);
    case "chat.message.deleted":
      return patchMessage(qc, roomId, e.payload.messageId, (m) => ({
        ...m,
        deletedAt: m.deletedAt ?? new Date().toISOString(),
        text: "",
        attachments: null,
        preview: null,
        reactions: [],
      }));
    case "chat.reaction.added":
    case "chat.reaction.removed": {
      const { messageId, emoji, userId } = e.payload;
      return patchMessage(qc, roomId, messageId, (m) =>
        toggleReaction(m, emoji, userId, e.name === "chat.reaction.added", meId),
      );
    }
    case "chat.message.pinned":
      void qc.invalidateQueries({ queryKey: keys.pins(roomId) });
      return patchMessage(qc, roomId, e.payload.messageId, (m) => ({ ...m, pinnedAt: e.payload.pinnedAt }));
    case "chat.message.unpinned":
      void qc.invalidateQueries({ queryKey: keys.pins(roomId) });
      return patchMessage(qc, roomId, e.payload.messageId, (m) => ({ ...m, pinnedAt: null }));
    case "chat.room.updated":
    case "chat.room.archived":
    case "chat.room.unarchived":
      void qc.invalidateQueries({ queryKey: keys.room(roomId) });
      void qc.invalidateQueries({ queryKey: keys.sidebar });
      return;
    case "chat.read.updated":
      // With read receipts on, someone read on: "seen by" in this room is out of date.
      void qc.invalidateQueries({ queryKey: ["chat", "seen", roomId] });
      return;
    case "chat.member.added":
    case "chat.member.removed":
    case "chat.member.role_changed":
      void qc.invalidateQueries({ queryKey: keys.members(roomId) });
      void qc.invalidateQueries({ queryKey: keys.room(roomId) });
      return;
    default:
      return;
  }
}

let sidebarRefresh: ReturnType<typeof setTimeout> | null = null;

/**
 * A room's live feed is confirmed: what was read over HTTP before then (the
 * sidebar's counts, the latest messages) may have missed events published in
 * between, so read them again — the sidebar once for many rooms, and the
 * latest page merged in by id (older pages and a jump's window are kept).
 */
function catchUp(qc: QueryClient, host: ChatHost, roomId: string): void {
  if (sidebarRefresh === null) {
    sidebarRefresh = setTimeout(() => {
      sidebarRefresh = null;
      void qc.invalidateQueries({ queryKey: keys.sidebar });
    }, 50);
  }
  const held = qc.getQueryData<HistoryPage>(keys.messages(roomId));
  if (!held || held.hasMoreAfter) return;
  void chatApi(host)
    .history(roomId, { limit: 50 })
    .then((fresh) =>
      qc.setQueryData<HistoryPage>(keys.messages(roomId), (p) =>
        p && !p.hasMoreAfter ? { ...p, items: mergeMessages(p.items, fresh.items) } : p,
      ),
    )
    .catch(() => undefined);
}

/**
 * Follows `room:<id>` for every room in the sidebar (and the one on screen)
 * and `user:<me>`, applying events to the query cache. The realtime client
 * resumes each topic from its last sequence after a reconnect; when the
 * server no longer has the missed events, the room is refetched. Messages are
 * merged by id, so nothing shows twice.
 */
export function LiveRooms({ roomIds }: { roomIds: string[] }) {
  const host = useHost();
  const qc = useQueryClient();
  const stops = useRef(new Map<string, Promise<() => void>>());

  useEffect(() => {
    const wanted = new Set(roomIds);
    for (const [id, stop] of stops.current) {
      if (!wanted.has(id)) {
        void stop.then((fn) => fn());
        stops.current.delete(id);
      }
    }
    for (const id of wanted) {
      if (stops.current.has(id)) continue;
      stops.current.set(
        id,
        host.follow<unknown>(`room:${id}`, {
          onEvent: (e: WireEvent<unknown>) => apply(qc, host, id, e as unknown as AnyChatEvent),
          onResync: () => {
            void qc.invalidateQueries({ queryKey: keys.messages(id) });
            void qc.invalidateQueries({ queryKey: ["chat", "thread"] });
            void qc.invalidateQueries({ queryKey: keys.sidebar });
          },
          onReady: () => catchUp(qc, host, id),
        }),
      );
    }
  }, [roomIds, host, qc]);

  useEffect(() => {
    const all = stops.current;
    return () => {
      for (const stop of all.values()) void stop.then((fn) => fn());
      all.clear();
    };
  }, []);

  useEffect(() => {
    const stop = host.follow<unknown>(`user:${host.me.id}`, {
      onEvent: (e) => {
        if (/^chat\.(read|preferences|member|room)\./.test(e.name) || e.name.startsWith("notifications."))
          void qc.invalidateQueries({ queryKey: keys.sidebar });
        if (e.name === "chat.ephemeral.posted")
          showEphemeral((e.payload as ChatEventPayloads["chat.ephemeral.posted"]).message);
        if (e.name === "chat.read.updated") {
          const p = e.payload as ChatEventPayloads["chat.read.updated"];
          void qc.invalidateQueries({ queryKey: keys.room(p.roomId) });
        }
      },
      onResync: () => void qc.invalidateQueries({ queryKey: keys.sidebar }),
      onReady: () => void qc.invalidateQueries({ queryKey: keys.sidebar }),
    });
    return () => void stop.then((fn) => fn());
  }, [host, qc]);
  return null;
}
