import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AppError, recordEvent, route, type Kernel } from "@ensemble/kernel";
import { draftBody } from "../shared/schemas.ts";
import { ChatMessageResource, ChatRoomResource } from "./resources.ts";
import { loadRoom } from "./rooms.ts";
import { loadMessage, rowOf } from "./messages.ts";
import { normalizeMessage, presentMessages, presentOne } from "./present-message.ts";
import { userTopic } from "./members.ts";
import { chatDb } from "./tables.ts";
import "./events.ts";
import { draftListSchema, draftSchema, threadFollowSchema } from "../shared/room-wire.ts";
import { messageListSchema, threadPageSchema } from "../shared/message-wire.ts";

const idParams = z.object({ id: z.uuid() });
const threadQuery = z.object({
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) });
const draftQuery = z.object({ parentId: z.uuid().optional() });

/** Threads (read, list per room, "my threads", follow) and drafts kept across devices. */
export function threadDraftRoutes(app: FastifyInstance, k: Kernel): void {
  const db = chatDb(k);

  route(app, {
    method: "GET",
    url: "/api/chat/messages/:id/thread",
    summary: "A thread: its root and replies in order (after: a reply seq, for the next page)",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    query: threadQuery,
    response: threadPageSchema,
    handler: async ({ actor, params, query }) => {
      const m = await k.policy.authorize(
        actor,
        ChatMessageResource,
        "read",
        await loadMessage(k, db, params.id, actor),
      );
      const rootId = m.parent_id ?? m.id;
      const root =
        rootId === m.id
          ? rowOf(m)
          : normalizeMessage(
              await db.selectFrom("chat_messages").selectAll().where("id", "=", rootId).executeTakeFirstOrThrow(),
            );
      let q = db
        .selectFrom("chat_messages")
        .selectAll()
        .where("parent_id", "=", rootId)
        .orderBy("seq")
        .limit(query.limit + 1);
      if (query.after !== undefined) q = q.where("seq", ">", query.after);
      const rows = (await q.execute()).map(normalizeMessage);
      const following = await db
        .selectFrom("chat_thread_followers")
        .select("user_id")
        .where("thread_id", "=", rootId)
        .where("user_id", "=", actor.id)
        .executeTakeFirst();
      return {
        root: await presentOne(db, root, actor.id),
        replies: await presentMessages(db, rows.slice(0, query.limit), actor.id),
        hasMore: rows.length > query.limit,
        following: !!following,
      };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/rooms/:id/threads",
    summary: "Threads of a room, latest reply first",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    query: listQuery,
    response: messageListSchema,
    handler: async ({ actor, params, query }) => {
      const room = await k.policy.authorize(actor, ChatRoomResource, "read", await loadRoom(db, params.id, actor));
      const rows = await db
        .selectFrom("chat_messages")
        .selectAll()
        .where("room_id", "=", room.id)
        .where("parent_id", "is", null)
        .where("reply_count", ">", 0)
        .orderBy("last_reply_at", "desc")
        .limit(query.limit)
        .execute();
      return { items: await presentMessages(db, rows.map(normalizeMessage), actor.id) };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/threads",
    summary: "Threads the actor follows, in rooms they may still read, latest reply first",
    tags: ["chat"],
    auth: "user",
    query: listQuery,
    response: messageListSchema,
    handler: async ({ actor, query }) => {
      const rows = await db
        .selectFrom("chat_thread_followers")
        .innerJoin("chat_messages", "chat_messages.id", "chat_thread_followers.thread_id")
        .selectAll("chat_messages")
        .where("chat_thread_followers.user_id", "=", actor.id)
        .where(k.policy.scope(ChatMessageResource, actor)("chat_messages"))
        .orderBy("chat_messages.last_reply_at", "desc")
        .limit(query.limit)
        .execute();
      return { items: await presentMessages(db, rows.map(normalizeMessage), actor.id) };
    },
  });

  for (const follow of [true, false]) {
    route(app, {
      method: follow ? "PUT" : "DELETE",
      url: "/api/chat/messages/:id/follow",
      summary: follow ? "Follow a thread (be notified of replies)" : "Stop following a thread",
      tags: ["chat"],
      auth: "user",
      params: idParams,
      response: threadFollowSchema,
      handler: async ({ actor, params }) => {
        const m = await k.policy.authorize(
          actor,
          ChatMessageResource,
          "read",
          await loadMessage(k, db, params.id, actor),
        );
        if (m.room.viewerRole === null) throw new AppError("conflict", "join the room first");
        const threadId = m.parent_id ?? m.id;
        await db.transaction().execute(async (tx) => {
          if (follow) {
            await tx
              .insertInto("chat_thread_followers")
              .values({
                thread_id: threadId,
                user_id: actor.id,
                room_id: m.room_id,
                created_at: new Date().toISOString(),
              })
              .onConflict((oc) => oc.columns(["thread_id", "user_id"]).doNothing())
              .execute();
          } else {
            await tx
              .deleteFrom("chat_thread_followers")
              .where("thread_id", "=", threadId)
              .where("user_id", "=", actor.id)
              .execute();
          }
          await recordEvent(tx, {
            name: follow ? "chat.thread.followed" : "chat.thread.unfollowed",
            actorId: actor.id,
            resources: { room: m.room_id, message: threadId },
            payload: { roomId: m.room_id, threadId },
            topics: [userTopic(actor.id)],
          });
        });
        return { threadId, following: follow };
      },
    });
  }

  route(app, {
    method: "PUT",
    url: "/api/chat/rooms/:id/draft",
    summary: "Keep the composer's draft for a room or thread (empty text clears it); other devices follow",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    body: draftBody,
    response: draftSchema,
    handler: async ({ actor, params, body }) => {
      const room = await k.policy.authorize(actor, ChatRoomResource, "read", await loadRoom(db, params.id, actor));
      if (body.parentId) {
        const parent = await db
          .selectFrom("chat_messages")
          .select("room_id")
          .where("id", "=", body.parentId)
          .executeTakeFirst();
        if (parent?.room_id !== room.id)
          throw new AppError("validation", "the thread is not in this room", {
            errors: [{ path: "parentId", message: "not in this room" }],
          });
      }
      const threadKey = body.parentId ?? "";
      const now = new Date().toISOString();
      await db.transaction().execute(async (tx) => {
        if (body.text === "") {
          await tx
            .deleteFrom("chat_drafts")
            .where("user_id", "=", actor.id)
            .where("room_id", "=", room.id)
            .where("thread_key", "=", threadKey)
            .execute();
        } else {
          await tx
            .insertInto("chat_drafts")
            .values({ user_id: actor.id, room_id: room.id, thread_key: threadKey, text: body.text, updated_at: now })
            .onConflict((oc) =>
              oc.columns(["user_id", "room_id", "thread_key"]).doUpdateSet({ text: body.text, updated_at: now }),
            )
            .execute();
        }
        await recordEvent(tx, {
          name: "chat.draft.updated",
          actorId: actor.id,
          resources: { room: room.id, user: actor.id },
          payload: { roomId: room.id, parentId: body.parentId, text: body.text, updatedAt: now },
          topics: [userTopic(actor.id)],
        });
      });
      return { roomId: room.id, parentId: body.parentId, text: body.text, updatedAt: now };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/rooms/:id/draft",
    summary: "The actor's draft for a room (or a thread with parentId)",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    query: draftQuery,
    response: draftSchema,
    handler: async ({ actor, params, query }) => {
      const room = await k.policy.authorize(actor, ChatRoomResource, "read", await loadRoom(db, params.id, actor));
      const d = await db
        .selectFrom("chat_drafts")
        .selectAll()
        .where("user_id", "=", actor.id)
        .where("room_id", "=", room.id)
        .where("thread_key", "=", query.parentId ?? "")
        .executeTakeFirst();
      return {
        roomId: room.id,
        parentId: query.parentId ?? null,
        text: d?.text ?? "",
        updatedAt: d?.updated_at ?? null,
      };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/drafts",
    summary: "All of the actor's drafts",
    tags: ["chat"],
    auth: "user",
    response: draftListSchema,
    handler: async ({ actor }) => {
      const rows = await db
        .selectFrom("chat_drafts")
        .selectAll()
        .where("user_id", "=", actor.id)
        .orderBy("updated_at", "desc")
        .limit(500)
        .execute();
      return {
        items: rows.map((d) => ({
          roomId: d.room_id,
          parentId: d.thread_key || null,
          text: d.text,
          updatedAt: d.updated_at,
        })),
      };
    },
  });
}
