import type { QueryClient } from "@tanstack/react-query";
import type { ChatMessage, Room, Sidebar } from "../shared/schemas.ts";
import type { HistoryPage, ThreadPage } from "./api.ts";

export const keys = {
  sidebar: ["chat", "sidebar"] as const,
  room: (id: string) => ["chat", "room", id] as const,
  members: (id: string) => ["chat", "members", id] as const,
  messages: (id: string) => ["chat", "messages", id] as const,
  thread: (id: string) => ["chat", "thread", id] as const,
  pins: (id: string) => ["chat", "pins", id] as const,
};

/** Inserts or replaces messages by id, kept in room order (seq): a message seen twice is shown once. */
export function mergeMessages(list: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of incoming) {
    const old = byId.get(m.id);
    // Reactions travel as their own events: an update without them keeps what we have.
    byId.set(
      m.id,
      old && m.reactions.length === 0 && old.reactions.length > 0 ? { ...m, reactions: old.reactions } : m,
    );
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

type Patch = (m: ChatMessage) => ChatMessage;

/** Applies a change to one message wherever it is cached (room history, threads). */
export function patchMessage(qc: QueryClient, roomId: string, messageId: string, fn: Patch): void {
  qc.setQueryData<HistoryPage>(keys.messages(roomId), (p) =>
    p ? { ...p, items: p.items.map((m) => (m.id === messageId ? fn(m) : m)) } : p,
  );
  for (const [key, t] of qc.getQueriesData<ThreadPage>({ queryKey: ["chat", "thread"] })) {
    if (!t) continue;
    if (t.root.id === messageId) qc.setQueryData<ThreadPage>(key, { ...t, root: fn(t.root) });
    else if (t.replies.some((r) => r.id === messageId))
      qc.setQueryData<ThreadPage>(key, { ...t, replies: t.replies.map((r) => (r.id === messageId ? fn(r) : r)) });
  }
}

/** A new or changed message from the API or the realtime feed. */
export function upsertMessage(qc: QueryClient, m: ChatMessage, created: boolean): void {
  const inChannel = m.parentId === null || m.alsoInChannel;
  if (inChannel) {
    qc.setQueryData<HistoryPage>(keys.messages(m.roomId), (p) => {
      if (!p) return p;
      const known = p.items.some((x) => x.id === m.id);
      // A window away from the present (after a jump) does not take new messages: "jump to present" loads them.
      if (!known && p.hasMoreAfter) return p;
      return { ...p, items: mergeMessages(p.items, [m]) };
    });
  }
  if (m.parentId) {
    const parentId = m.parentId;
    let isNew = created;
    qc.setQueryData<ThreadPage>(keys.thread(parentId), (t) => {
      if (!t) return t;
      if (t.replies.some((r) => r.id === m.id)) isNew = false;
      return { ...t, replies: mergeMessages(t.replies, [m]) };
    });
    if (isNew) {
      const known = qc.getQueryData<ThreadPage>(keys.thread(parentId));
      const count = known ? known.replies.length : undefined;
      patchMessage(qc, m.roomId, parentId, (p) => ({
        ...p,
        replyCount: count ?? p.replyCount + 1,
        lastReplyAt: m.createdAt,
      }));
    }
  } else {
    patchMessage(qc, m.roomId, m.id, (old) => ({ ...m, reactions: m.reactions.length ? m.reactions : old.reactions }));
  }
}

/**
 * The send call's answer is the message as it was created. A copy already
 * received from the live feed is as new or newer (a link preview, an edit),
 * so it wins; the answer only fills in what the feed has not brought yet.
 */
export function upsertSentMessage(qc: QueryClient, m: ChatMessage): void {
  const inChannel = m.parentId === null || m.alsoInChannel;
  const inHistory =
    inChannel && qc.getQueryData<HistoryPage>(keys.messages(m.roomId))?.items.some((x) => x.id === m.id);
  const inThread =
    m.parentId !== null && qc.getQueryData<ThreadPage>(keys.thread(m.parentId))?.replies.some((r) => r.id === m.id);
  if (inHistory || inThread) return;
  upsertMessage(qc, m, true);
}

export function toggleReaction(m: ChatMessage, emoji: string, userId: string, add: boolean, meId: string): ChatMessage {
  const reactions = m.reactions.map((r) => ({ ...r, userIds: [...r.userIds] }));
  let r = reactions.find((x) => x.emoji === emoji);
  if (add) {
    if (r?.userIds.includes(userId)) return m;
    if (!r) {
      r = { emoji, count: 0, mine: false, userIds: [] };
      reactions.push(r);
    }
    r.userIds.push(userId);
  } else {
    if (!r || !r.userIds.includes(userId)) return m;
    r.userIds = r.userIds.filter((u) => u !== userId);
  }
  r.count = r.userIds.length;
  r.mine = r.userIds.includes(meId);
  return { ...m, reactions: reactions.filter((x) => x.count > 0) };
}

/** Updates one room's entry in the sidebar. */
export function patchSidebarRoom(qc: QueryClient, roomId: string, fn: (r: Room) => Room): void {
  qc.setQueryData<Sidebar>(keys.sidebar, (s) =>
    s
      ? { sections: s.sections.map((sec) => ({ ...sec, rooms: sec.rooms.map((r) => (r.id === roomId ? fn(r) : r)) })) }
      : s,
  );
}

export function sidebarRooms(s: Sidebar | undefined): Room[] {
  return s ? s.sections.flatMap((sec) => sec.rooms) : [];
}
