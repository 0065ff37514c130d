import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@ensemble/kernel";
import type { TestServer } from "@ensemble/testkit";
import { scopedIds, startScopeServer, type PoolUser } from "@ensemble/testkit/scope-actors";
import { roomRoles } from "../../shared/capabilities.ts";
import { ChatMessageResource, ChatRoomResource } from "../resources.ts";
import { loadRoom } from "../rooms.ts";
import { loadMessage } from "../messages.ts";
import { chatDb } from "../tables.ts";
import { postMessage } from "../post-message.ts";

/**
 * Chat's rooms and messages: the ids `policy.scope` lets a query return are
 * exactly those `policy.can(actor, kind, "read", row)` accepts, for generated
 * rooms (channels, private groups, DMs; archived or not; members with any room
 * role) and every kind of actor (admin, members in and out of the room, guests,
 * a deactivated member, a read-only token, the anonymous visitor). The sidebar,
 * directory and search filter through the scope while the room and message
 * routes answer 404 through `can`: they cannot drift apart.
 */
let server: TestServer;
let pool: PoolUser[];
let actors: Actor[];
beforeAll(async () => ({ server, pool, actors } = await startScopeServer()));
afterAll(async () => server.close());

const blankRoom = { topic: "", description: "", is_default: 0, settings: "{}", created_by: null, last_seq: 0 };
const roomArb = fc.record({
  type: fc.constantFrom("channel" as const, "private" as const, "dm" as const),
  archived: fc.boolean(),
  announcement: fc.boolean(),
  members: fc.uniqueArray(fc.record({ user: fc.nat({ max: 6 }), role: fc.constantFrom(...roomRoles) }), {
    selector: (m) => m.user,
    maxLength: 5,
  }),
  messages: fc.nat({ max: 2 }),
});

describe("chat: policy.scope agrees with policy.can", () => {
  it("for rooms and messages, whoever asks", async () => {
    const db = chatDb(server.kernel);
    const policy = server.kernel.policy;
    await fc.assert(
      fc.asyncProperty(fc.array(roomArb, { minLength: 1, maxLength: 5 }), async (rooms) => {
        const now = new Date().toISOString();
        const roomIds: string[] = [];
        const messageIds: string[] = [];
        for (const r of rooms) {
          const id = randomUUID();
          roomIds.push(id);
          await db
            .insertInto("chat_rooms")
            .values({
              id,
              type: r.type,
              slug: r.type === "dm" ? null : `s-${id}`,
              name: `room ${id}`,
              ...blankRoom,
              announcement: r.announcement ? 1 : 0,
              dm_key: r.type === "dm" ? id : null,
              archived_at: r.archived ? now : null,
              created_at: now,
              updated_at: now,
              last_message_at: null,
            })
            .execute();
          for (const m of r.members)
            await db
              .insertInto("chat_members")
              .values({
                room_id: id,
                user_id: pool[m.user]!.id,
                role: m.role,
                favourite: 0,
                muted: 0,
                hidden: 0,
                last_read_seq: 0,
                joined_at: now,
              })
              .execute();
          for (let n = 1; n <= r.messages; n++) {
            const posted = await db.transaction().execute((tx) =>
              postMessage(server.kernel, tx, {
                roomId: id,
                authorId: pool[0]!.id,
                kind: "user",
                text: `message ${n}`,
              }),
            );
            messageIds.push(posted.row.id);
          }
        }
        for (const actor of actors) {
          const seenRooms = await scopedIds(db, "chat_rooms", roomIds, policy.scope(ChatRoomResource, actor));
          const readable: string[] = [];
          for (const id of roomIds)
            if (await policy.can(actor, ChatRoomResource, "read", (await loadRoom(db, id, actor))!)) readable.push(id);
          expect(seenRooms, `rooms seen by ${label(actor)}`).toEqual(readable.sort());

          const seenMessages = await scopedIds(
            db,
            "chat_messages",
            messageIds,
            policy.scope(ChatMessageResource, actor),
          );
          const readableMessages: string[] = [];
          for (const id of messageIds)
            if (
              await policy.can(actor, ChatMessageResource, "read", (await loadMessage(server.kernel, db, id, actor))!)
            )
              readableMessages.push(id);
          expect(seenMessages, `messages seen by ${label(actor)}`).toEqual(readableMessages.sort());
        }
      }),
      { numRuns: 10 },
    );
  }, 120_000);
});

const label = (a: Actor) => (a.kind === "user" ? `${a.role} ${a.username}${a.scopes ? " (token)" : ""}` : "anonymous");
