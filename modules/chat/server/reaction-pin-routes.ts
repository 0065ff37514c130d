import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AppError, recordEvent, route, type Kernel } from "@ensemble/kernel";
import { roomTopic } from "../shared/resources.ts";
import { forwardBody, reactionBody, messageSchema } from "../shared/schemas.ts";
import { ChatMessageResource, ChatRoomResource } from "./resources.ts";
import { loadRoom } from "./rooms.ts";
import { loadMessage, rowOf } from "./messages.ts";
import { findByClientKey, postMessage } from "./post-message.ts";
import { isUniqueViolation } from "@ensemble/kernel";
import { normalizeMessage, presentMessages, presentOne } from "./present-message.ts";
import "./events.ts";
import { isBot } from "./integrations/bots.ts";
import { chatDb } from "./tables.ts";
import { knownEmoji, unknownEmoji } from "./emoji/emoji-module.ts";
import {
  messageListSchema,
  reactionListSchema,
  reactionToggledSchema,
  savedListSchema,
  savedStateSchema,
} from "../shared/message-wire.ts";

const idParams = z.object({ id: z.uuid() });

/** Reactions, pins, saved-for-later and forwarding. */
export function reactionPinRoutes(app: FastifyInstance, k: Kernel): void {
  const db = chatDb(k);

  route(app, {
    method: "POST",
    url: "/api/chat/messages/:id/reactions",
    summary: "Toggle the actor's reaction with this emoji",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    body: reactionBody,
    response: reactionToggledSchema,
    handler: async ({ actor, params, body }) => {
      const m = await k.policy.authorize(
        actor,
        ChatMessageResource,
        "react",
        await loadMessage(k, db, params.id, actor),
      );
      // `:name:` is a bundled or custom emoji; an unknown custom name may only be taken off.
      const known = await knownEmoji(k, body.emoji);
      const reacted = await db.transaction().execute(async (tx) => {
        const gone = await tx
          .deleteFrom("chat_reactions")
          .where("message_id", "=", m.id)
          .where("user_id", "=", actor.id)
          .where("emoji", "=", body.emoji)
          .executeTakeFirst();
        const removed = Number(gone.numDeletedRows) > 0;
        if (!removed) {
          if (!known) throw unknownEmoji(body.emoji);
          await tx
            .insertInto("chat_reactions")
            .values({ message_id: m.id, user_id: actor.id, emoji: body.emoji, created_at: new Date().toISOString() })
            .execute();
        }
        await recordEvent(tx, {
          name: removed ? "chat.reaction.removed" : "chat.reaction.added",
          actorId: actor.id,
          resources: { room: m.room_id, message: m.id },
          payload: { roomId: m.room_id, messageId: m.id, userId: actor.id, emoji: body.emoji },
          topics: [roomTopic(m.room_id)],
        });
        return !removed;
      });
      const count = await db
        .selectFrom("chat_reactions")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("message_id", "=", m.id)
        .where("emoji", "=", body.emoji)
        .executeTakeFirstOrThrow();
      return { emoji: body.emoji, reacted, count: Number(count.n) };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/messages/:id/reactions",
    summary: "Who reacted to a message, by emoji",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    response: reactionListSchema,
    handler: async ({ actor, params }) => {
      const m = await k.policy.authorize(
        actor,
        ChatMessageResource,
        "read",
        await loadMessage(k, db, params.id, actor),
      );
      const rows = await db
        .selectFrom("chat_reactions")
        .innerJoin("users", "users.id", "chat_reactions.user_id")
        .select(["chat_reactions.emoji", "users.id", "users.username", "users.display_name"])
        .where("chat_reactions.message_id", "=", m.id)
        .orderBy("chat_reactions.created_at")
        .execute();
      const byEmoji = new Map<string, { id: string; username: string; displayName: string }[]>();
      for (const r of rows)
        byEmoji.set(r.emoji, [
          ...(byEmoji.get(r.emoji) ?? []),
          { id: r.id, username: r.username, displayName: r.display_name },
        ]);
      return { items: [...byEmoji].map(([emoji, users]) => ({ emoji, count: users.length, users })) };
    },
  });

  for (const pin of [true, false]) {
    route(app, {
      method: pin ? "PUT" : "DELETE",
      url: "/api/chat/messages/:id/pin",
      summary: pin ? "Pin a message to its room" : "Unpin a message",
      tags: ["chat"],
      auth: "user",
      params: idParams,
      response: messageSchema,
      handler: async ({ actor, params }) => {
        const m = await k.policy.authorize(
          actor,
          ChatMessageResource,
          "pin",
          await loadMessage(k, db, params.id, actor),
        );
        if ((m.pinned_at !== null) === pin) return presentOne(db, rowOf(m), actor.id);
        const now = new Date().toISOString();
        await db.transaction().execute(async (tx) => {
          await tx
            .updateTable("chat_messages")
            .set({ pinned_at: pin ? now : null, pinned_by: pin ? actor.id : null })
            .where("id", "=", m.id)
            .execute();
          await recordEvent(
            tx,
            pin
              ? {
                  name: "chat.message.pinned",
                  actorId: actor.id,
                  resources: { room: m.room_id, message: m.id },
                  payload: { roomId: m.room_id, messageId: m.id, pinnedAt: now },
                  topics: [roomTopic(m.room_id)],
                }
              : {
                  name: "chat.message.unpinned",
                  actorId: actor.id,
                  resources: { room: m.room_id, message: m.id },
                  payload: { roomId: m.room_id, messageId: m.id },
                  topics: [roomTopic(m.room_id)],
                },
          );
        });
        return presentOne(db, { ...rowOf(m), pinned_at: pin ? now : null, pinned_by: pin ? actor.id : null }, actor.id);
      },
    });
  }

  route(app, {
    method: "GET",
    url: "/api/chat/rooms/:id/pins",
    summary: "Pinned messages of a room, latest pin first",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    response: messageListSchema,
    handler: async ({ actor, params }) => {
      const room = await k.policy.authorize(actor, ChatRoomResource, "read", await loadRoom(db, params.id, actor));
      const rows = await db
        .selectFrom("chat_messages")
        .selectAll()
        .where("room_id", "=", room.id)
        .where("pinned_at", "is not", null)
        .orderBy("pinned_at", "desc")
        .limit(200)
        .execute();
      return { items: await presentMessages(db, rows.map(normalizeMessage), actor.id) };
    },
  });

  for (const save of [true, false]) {
    route(app, {
      method: save ? "PUT" : "DELETE",
      url: "/api/chat/messages/:id/save",
      summary: save ? "Save a message for later" : "Remove a message from saved items",
      tags: ["chat"],
      auth: "user",
      params: idParams,
      response: savedStateSchema,
      handler: async ({ actor, params }) => {
        const m = await k.policy.authorize(
          actor,
          ChatMessageResource,
          "read",
          await loadMessage(k, db, params.id, actor),
        );
        if (save) {
          await db
            .insertInto("chat_saved")
            .values({ user_id: actor.id, message_id: m.id, created_at: new Date().toISOString() })
            .onConflict((oc) => oc.columns(["user_id", "message_id"]).doNothing())
            .execute();
        } else {
          await db.deleteFrom("chat_saved").where("user_id", "=", actor.id).where("message_id", "=", m.id).execute();
        }
        return { messageId: m.id, saved: save };
      },
    });
  }

  route(app, {
    method: "GET",
    url: "/api/chat/saved",
    summary: "The actor's saved messages that they may still read, latest saved first",
    tags: ["chat"],
    auth: "user",
    response: savedListSchema,
    handler: async ({ actor }) => {
      const readable = await db
        .selectFrom("chat_saved")
        .innerJoin("chat_messages", "chat_messages.id", "chat_saved.message_id")
        .selectAll("chat_messages")
        .select("chat_saved.created_at as savedAt")
        .where("chat_saved.user_id", "=", actor.id)
        // Only what they may still read (a room left since, a channel no longer browsable).
        .where(k.policy.scope(ChatMessageResource, actor)("chat_messages"))
        .orderBy("chat_saved.created_at", "desc")
        .limit(500)
        .execute();
      const items = await presentMessages(
        db,
        readable.map(({ savedAt: _x, ...row }) => normalizeMessage(row)),
        actor.id,
      );
      return { items: items.map((message, i) => ({ message, savedAt: readable[i]!.savedAt })) };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/chat/messages/:id/forward",
    summary: "Forward a message to another room, with an optional comment",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    body: forwardBody,
    idempotent: true,
    response: messageSchema,
    handler: async ({ actor, params, body, reply }) => {
      const src = await k.policy.authorize(
        actor,
        ChatMessageResource,
        "read",
        await loadMessage(k, db, params.id, actor),
      );
      if (src.deleted_at) throw new AppError("conflict", "this message was deleted");
      const target = await k.policy.authorize(actor, ChatRoomResource, "post", await loadRoom(db, body.roomId, actor));
      const kind = (await isBot(chatDb(k), actor.id)) ? "bot" : "user";
      const author = src.author_id
        ? await db
            .selectFrom("users")
            .select(["id", "username", "display_name"])
            .where("id", "=", src.author_id)
            .executeTakeFirst()
        : undefined;
      try {
        const posted = await db.transaction().execute((tx) =>
          postMessage(k, tx, {
            roomId: target.id,
            authorId: actor.id,
            kind,
            text: body.text,
            clientKey: body.clientKey,
            forwardedFromId: src.id,
            attachments: src.attachments ? (JSON.parse(src.attachments) as never) : null,
            // A snapshot: readers of the target room see what was forwarded, not the source room.
            meta: {
              forwarded: {
                messageId: src.id,
                roomId: src.room_id,
                text: src.text,
                createdAt: src.created_at,
                author: author ? { id: author.id, username: author.username, displayName: author.display_name } : null,
              },
            },
          }),
        );
        reply.code(201);
        return posted.message;
      } catch (e) {
        // The key outlived the kernel's record of it (kept a day): the message it sent is the answer.
        if (!isUniqueViolation(e)) throw e;
        const again = await findByClientKey(db, actor.id, body.clientKey);
        if (!again) throw e;
        return presentOne(db, again, actor.id);
      }
    },
  });
}
