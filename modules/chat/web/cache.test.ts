import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../shared/schemas.ts";
import type { HistoryPage, ThreadPage } from "./api.ts";
import { keys, mergeMessages, patchMessage, toggleReaction, upsertMessage, upsertSentMessage } from "./cache.ts";

const ROOM = "01a00000-0000-7000-8000-000000000001";
let n = 0;
function msg(seq: number, extra: Partial<ChatMessage> = {}): ChatMessage {
  n += 1;
  return {
    id: `01a00000-0000-7000-8000-${String(seq).padStart(12, "0")}`,
    roomId: ROOM,
    seq,
    kind: "user",
    authorId: "u1",
    author: { id: "u1", username: "alice", displayName: "Alice" },
    meta: null,
    text: `message ${seq}`,
    clientKey: `k${n}`,
    parentId: null,
    alsoInChannel: false,
    quoteId: null,
    forwardedFromId: null,
    attachments: null,
    preview: null,
    mentions: { userIds: [], all: false, here: false, roomIds: [] },
    replyCount: 0,
    lastReplyAt: null,
    reactions: [],
    pinnedAt: null,
    createdAt: new Date(Date.UTC(2026, 10, 28, 10, 0, seq)).toISOString(),
    editedAt: null,
    deletedAt: null,
    ...extra,
  };
}

describe("chat client cache", () => {
  it("merges pages and live events by id, in room order, whatever the arrival order or repeats", () => {
    const a = msg(1);
    const b = msg(2);
    const c = msg(3);
    const orders = [
      [a, b, c],
      [c, b, a],
      [b, a, c, b, a, c],
    ];
    for (const order of orders) {
      let list: ChatMessage[] = [];
      for (const m of order) list = mergeMessages(list, [m]);
      expect(list.map((m) => m.seq)).toEqual([1, 2, 3]);
    }
    // An update without reactions (they travel as their own events) keeps the ones we know.
    const withReaction = { ...a, reactions: [{ emoji: "+1", count: 1, mine: false, userIds: ["u2"] }] };
    const edited = { ...a, text: "edited", reactions: [] };
    expect(mergeMessages([withReaction], [edited])[0]).toMatchObject({ text: "edited", reactions: [{ emoji: "+1" }] });
  });

  it("applies reaction events idempotently (a replayed event changes nothing)", () => {
    let m = msg(4);
    m = toggleReaction(m, "+1", "u2", true, "me");
    m = toggleReaction(m, "+1", "u2", true, "me");
    m = toggleReaction(m, "+1", "me", true, "me");
    expect(m.reactions).toEqual([{ emoji: "+1", count: 2, mine: true, userIds: ["u2", "me"] }]);
    m = toggleReaction(m, "+1", "me", false, "me");
    m = toggleReaction(m, "+1", "me", false, "me");
    expect(m.reactions).toEqual([{ emoji: "+1", count: 1, mine: false, userIds: ["u2"] }]);
    m = toggleReaction(m, "+1", "u2", false, "me");
    expect(m.reactions).toEqual([]);
  });

  it("puts a new message in the room window (not after a jump back in time), a thread reply in its thread, and counts replies once", () => {
    const qc = new QueryClient();
    const root = msg(10);
    qc.setQueryData<HistoryPage>(keys.messages(ROOM), { items: [root], hasMoreBefore: false, hasMoreAfter: false });
    qc.setQueryData<ThreadPage>(keys.thread(root.id), { root, replies: [], hasMore: false, following: true });
    const reply = msg(11, { parentId: root.id });
    upsertMessage(qc, reply, true);
    upsertMessage(qc, reply, true);
    const page = qc.getQueryData<HistoryPage>(keys.messages(ROOM))!;
    expect(page.items.map((m) => m.id)).toEqual([root.id]);
    expect(page.items[0]!.replyCount).toBe(1);
    expect(qc.getQueryData<ThreadPage>(keys.thread(root.id))!.replies.map((m) => m.id)).toEqual([reply.id]);
    const next = msg(12);
    upsertMessage(qc, next, true);
    expect(qc.getQueryData<HistoryPage>(keys.messages(ROOM))!.items.map((m) => m.seq)).toEqual([10, 12]);
    // After a jump to an old message the window is not the present: new messages wait for "jump to present".
    qc.setQueryData<HistoryPage>(keys.messages(ROOM), { items: [root], hasMoreBefore: true, hasMoreAfter: true });
    upsertMessage(qc, msg(13), true);
    expect(qc.getQueryData<HistoryPage>(keys.messages(ROOM))!.items.map((m) => m.seq)).toEqual([10]);
    // A change to a known message is applied wherever it is shown.
    patchMessage(qc, ROOM, root.id, (m) => ({ ...m, pinnedAt: "2026-11-28T10:00:00.000Z" }));
    expect(qc.getQueryData<HistoryPage>(keys.messages(ROOM))!.items[0]!.pinnedAt).not.toBeNull();
    expect(qc.getQueryData<ThreadPage>(keys.thread(root.id))!.root.pinnedAt).not.toBeNull();
  });

  it("keeps the live copy when the send call answers after the feed brought a newer one (link preview)", () => {
    const qc = new QueryClient();
    qc.setQueryData<HistoryPage>(keys.messages(ROOM), { items: [], hasMoreBefore: false, hasMoreAfter: false });
    const created = msg(20, { text: "voir https://example.org" });
    const preview = { url: "https://example.org", title: "Exemple" };
    const withPreview: ChatMessage = { ...created, preview };
    upsertMessage(qc, created, true);
    upsertMessage(qc, withPreview, false);
    upsertSentMessage(qc, created);
    expect(qc.getQueryData<HistoryPage>(keys.messages(ROOM))!.items[0]!.preview).toEqual(preview);
    // When the feed has not brought it yet, the answer is shown.
    const other = msg(21);
    upsertSentMessage(qc, other);
    expect(qc.getQueryData<HistoryPage>(keys.messages(ROOM))!.items.map((m) => m.seq)).toEqual([20, 21]);
  });
});
