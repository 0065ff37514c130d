import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import type { ChatMessage } from "../../shared/schemas.ts";
import { createRoom, user, type ChatUser } from "./chat-fixtures.ts";

/**
 * Property: whatever the order of sends, retries (sequential or concurrent),
 * edits and deletes, the room's history equals a pure model's list.
 */
type Op =
  | { t: "send"; by: 0 | 1; key: number; text: string }
  | { t: "retry"; by: 0 | 1; key: number; text: string; copies: number }
  | { t: "edit"; by: 0 | 1; key: number; owner: 0 | 1; text: string }
  | { t: "delete"; by: 0 | 1; key: number; owner: 0 | 1 };

interface ModelMessage {
  owner: 0 | 1;
  key: number;
  text: string;
  edited: boolean;
  deleted: boolean;
}

/** Author 0 owns the room (moderates: may delete anyone's message); 1 is a member. Only authors edit. */
function model(ops: readonly Op[]): ModelMessage[] {
  const list: ModelMessage[] = [];
  const find = (owner: 0 | 1, key: number) => list.find((m) => m.owner === owner && m.key === key);
  for (const op of ops) {
    if (op.t === "send" || op.t === "retry") {
      // A key already used (with this text: the same message; with another: refused, 422) adds nothing.
      if (!find(op.by, op.key)) list.push({ owner: op.by, key: op.key, text: op.text, edited: false, deleted: false });
    } else if (op.t === "edit") {
      const m = find(op.owner, op.key);
      if (m && !m.deleted && op.owner === op.by) Object.assign(m, { text: op.text, edited: true });
    } else {
      const m = find(op.owner, op.key);
      if (m && !m.deleted && (op.owner === op.by || op.by === 0)) Object.assign(m, { text: "", deleted: true });
    }
  }
  return list;
}

const who = fc.constantFrom<0 | 1>(0, 1);
const key = fc.integer({ min: 0, max: 4 });
const text = fc.string({ minLength: 1, maxLength: 12 }).filter((t) => t.trim().length > 0 && !t.includes("@"));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant("send" as const), by: who, key, text }),
  fc.record({ t: fc.constant("retry" as const), by: who, key, text, copies: fc.integer({ min: 2, max: 4 }) }),
  fc.record({ t: fc.constant("edit" as const), by: who, key, owner: who, text }),
  fc.record({ t: fc.constant("delete" as const), by: who, key, owner: who }),
);

let s: TestServer;
let run = 0;

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

describe("message list model", () => {
  it(
    "matches the pure model for any interleaving of sends, retries, edits and deletes",
    { timeout: 240_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
          run += 1;
          // A pair of people per run: a hundred runs from two would exceed the send route's limit (600 a minute).
          const users: [ChatUser, ChatUser] = [await user(s), await user(s)];
          const room = await createRoom(users[0].client, { type: "private", memberIds: [users[1].id] });
          const keyOf = (owner: 0 | 1, k: number) => `run${run}-${owner}-${k}`;
          const ids = new Map<string, string>();
          const sentText = new Map<string, string>();
          const sendOnce = (by: 0 | 1, k: number, t: string) =>
            users[by].client.post<ChatMessage>(`/api/chat/rooms/${room.id}/messages`, {
              clientKey: keyOf(by, k),
              text: t,
            });
          for (const o of ops) {
            if (o.t === "send" || o.t === "retry") {
              const rs = await Promise.all(
                Array.from({ length: o.t === "retry" ? o.copies : 1 }, () => sendOnce(o.by, o.key, o.text)),
              );
              const first = sentText.get(keyOf(o.by, o.key));
              if (first !== undefined && first !== o.text) {
                for (const r of rs) expect(r.status).toBe(422);
                continue;
              }
              for (const r of rs) expect(r.status).toBe(201);
              expect(new Set(rs.map((r) => r.body.id)).size).toBe(1);
              ids.set(keyOf(o.by, o.key), rs[0]!.body.id);
              sentText.set(keyOf(o.by, o.key), o.text);
            } else {
              const id = ids.get(keyOf(o.owner, o.key));
              if (!id) continue;
              const r =
                o.t === "edit"
                  ? await users[o.by].client.patch(`/api/chat/messages/${id}`, { text: o.text })
                  : await users[o.by].client.delete(`/api/chat/messages/${id}`);
              expect([200, 204, 403]).toContain(r.status);
            }
          }
          const h = await users[1].client.get<{ items: ChatMessage[] }>(
            `/api/chat/rooms/${room.id}/messages?limit=200`,
          );
          const seqs = h.body.items.map((m) => m.seq);
          expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
          const got = h.body.items.map((m) => ({
            owner: (m.authorId === users[0].id ? 0 : 1) as 0 | 1,
            key: Number(m.clientKey!.split("-").at(-1)),
            text: m.text,
            edited: m.editedAt !== null,
            deleted: m.deletedAt !== null,
          }));
          expect(got).toEqual(model(ops));
        }),
        { numRuns: 30 },
      );
    },
  );
});
