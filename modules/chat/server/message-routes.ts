import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AppError, noContent, recordEvent, route, type Kernel, type UserActor } from "@ensemble/kernel";
import { uuidv7 } from "@ensemble/protocol";
import { parseMentions } from "../shared/mentions.ts";
import { roomTopic } from "../shared/resources.ts";
import { editMessageBody, historyQuery, sendMessageBody, messageSchema } from "../shared/schemas.ts";
import { ChatMessageResource, ChatRoomResource, type RoomRecord } from "./resources.ts";
import { getChatSettings } from "./chat-settings.ts";
import { loadRoom, memberCount } from "./rooms.ts";
import { loadMessage, rowOf } from "./messages.ts";
import { findByClientKey, postMessage } from "./post-message.ts";
import { isUniqueViolation } from "@ensemble/kernel";
import { normalizeMessage, presentMessages, presentOne } from "./present-message.ts";
import { indexMessage, unindexMessage } from "./search-index.ts";
import { chatDb, type ChatDb } from "./tables.ts";
import "./events.ts";
import { messageSource, redactMessages, tombstone } from "./redact-message.ts";
import { sendContext } from "./send-context.ts";
import { proxiedImagePath, proxyAttachmentImages } from "./previews/image-urls.ts";
import { historyPageSchema, messageEditListSchema } from "../shared/message-wire.ts";

const idParams = z.object({ id: z.uuid() });

/**
 * `@channel`/`@all`/`@here` need the room's permission, and above the
 * configured size an explicit confirmation (409 mention_confirmation_required).
 */
export async function checkBroadcast(
  k: Kernel,
  db: ChatDb,
  actor: UserActor,
  room: RoomRecord,
  text: string,
  confirmAll: boolean,
): Promise<void> {
  const m = parseMentions(text);
  if (!m.all && !m.here) return;
  if (!(await k.policy.can(actor, ChatRoomResource, "mention_all", room))) {
    throw new AppError("forbidden", "you may not notify everyone in this room");
  }
  const threshold = (await getChatSettings(k)).mentionAllConfirmThreshold;
  const count = await memberCount(db, room.id);
  if (count > threshold && !confirmAll) {
    throw new AppError(
      "mention_confirmation_required",
      `this notifies ${count} people: send again with confirmAll: true`,
    );
  }
}

async function checkLength(k: Kernel, text: string): Promise<void> {
  const max = (await getChatSettings(k)).maxMessageLength;
  if (text.length > max)
    throw new AppError("validation", `a message has at most ${max} characters`, {
      errors: [{ path: "text", message: `at most ${max} characters` }],
    });
}

/** Sending (idempotent by client key), history pages, permalink, edit with history, delete as tombstone. */
export function messageRoutes(app: FastifyInstance, k: Kernel): void {
  const db = chatDb(k);

  route(app, {
    method: "POST",
    url: "/api/chat/rooms/:id/messages",
    summary:
      "Send a message (or a thread reply with parentId); a retry with the same clientKey answers the same message",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    body: sendMessageBody,
    rateLimit: { max: 600, timeWindow: "1 minute", per: "credential" },
    // A retry with the same clientKey gets the first answer from the kernel; another body with it a 422.
    idempotent: true,
    response: messageSchema,
    handler: async ({ actor, params, body, reply }) => {
      // The room, the viewer's role, a mute and a bot account in one statement (bench `chat`).
      const ctx = await sendContext(k, params.id, actor);
      const room = await k.policy.authorize(actor, ChatRoomResource, "post", ctx.room);
      const { kind } = ctx;
      await checkLength(k, body.text);
      if (!body.text.trim() && !body.attachments?.length)
        throw new AppError("validation", "a message needs text or an attachment");
      await checkBroadcast(k, db, actor, room, body.text, body.confirmAll);
      if (body.parentId) {
        const parent = await db
          .selectFrom("chat_messages")
          .select(["room_id", "deleted_at"])
          .where("id", "=", body.parentId)
          .executeTakeFirst();
        if (!parent || parent.room_id !== room.id)
          throw new AppError("validation", "the thread is not in this room", {
            errors: [{ path: "parentId", message: "not in this room" }],
          });
        if (parent.deleted_at) throw new AppError("conflict", "this message was deleted");
      }
      if (body.quoteId) {
        await k.policy.authorize(actor, ChatMessageResource, "read", await loadMessage(k, db, body.quoteId, actor));
      }
      const attachments = body.attachments?.length
        ? await proxyAttachmentImages(body.attachments, (u) => proxiedImagePath(k, u))
        : null;
      try {
        const posted = await db.transaction().execute((tx) =>
          postMessage(k, tx, {
            roomId: room.id,
            authorId: actor.id,
            kind,
            text: body.text,
            clientKey: body.clientKey,
            parentId: body.parentId ?? null,
            alsoInChannel: body.alsoInChannel,
            quoteId: body.quoteId ?? null,
            attachments,
          }),
        );
        reply.code(201);
        return posted.message;
      } catch (e) {
        // The key outlived the kernel's record of it (kept a day): the message it sent is the answer.
        if (!isUniqueViolation(e)) throw e;
        const sent = await findByClientKey(db, actor.id, body.clientKey);
        if (!sent || sent.room_id !== room.id) throw e;
        return presentOne(db, sent, actor.id);
      }
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/rooms/:id/messages",
    summary: "A page of the room's history: latest, before or after a message, or around one (jump to message)",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    query: historyQuery,
    response: historyPageSchema,
    handler: async ({ actor, params, query }) => {
      const room = await k.policy.authorize(actor, ChatRoomResource, "read", await loadRoom(db, params.id, actor));
      const anchorId = query.before ?? query.after ?? query.around;
      let anchor: number | null = null;
      if (anchorId) {
        const a = await db
          .selectFrom("chat_messages")
          .select(["seq", "room_id"])
          .where("id", "=", anchorId)
          .executeTakeFirst();
        if (!a || a.room_id !== room.id) throw new AppError("not_found", "message not found");
        anchor = Number(a.seq);
      }
      const base = () =>
        db.selectFrom("chat_messages").selectAll().where("room_id", "=", room.id).where("in_channel", "=", 1);
      const older = async (below: number | null, n: number) => {
        let q = base()
          .orderBy("seq", "desc")
          .limit(n + 1);
        if (below !== null) q = q.where("seq", "<", below);
        const rows = await q.execute();
        return { rows: rows.slice(0, n).reverse(), more: rows.length > n };
      };
      const newer = async (above: number, n: number) => {
        const rows = await base()
          .where("seq", ">", above)
          .orderBy("seq", "asc")
          .limit(n + 1)
          .execute();
        return { rows: rows.slice(0, n), more: rows.length > n };
      };
      let rows;
      let hasMoreBefore = false;
      let hasMoreAfter = false;
      if (query.after && anchor !== null) {
        const r = await newer(anchor, query.limit);
        rows = r.rows;
        hasMoreAfter = r.more;
        hasMoreBefore = true;
      } else if (query.around && anchor !== null) {
        const half = Math.floor(query.limit / 2);
        const before = await older(anchor + 1, query.limit - half);
        const after = await newer(anchor, half);
        rows = [...before.rows, ...after.rows];
        hasMoreBefore = before.more;
        hasMoreAfter = after.more;
      } else {
        const r = await older(anchor, query.limit);
        rows = r.rows;
        hasMoreBefore = r.more;
        hasMoreAfter = anchor !== null;
      }
      return { items: await presentMessages(db, rows.map(normalizeMessage), actor.id), hasMoreBefore, hasMoreAfter };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/messages/:id",
    summary: "Permalink: one message and its room id, if the actor may read it",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    response: messageSchema,
    handler: async ({ actor, params }) => {
      const m = await k.policy.authorize(
        actor,
        ChatMessageResource,
        "read",
        await loadMessage(k, db, params.id, actor),
      );
      return presentOne(db, rowOf(m), actor.id);
    },
  });

  route(app, {
    method: "PATCH",
    url: "/api/chat/messages/:id",
    summary: "Edit a message (the previous text is kept in its history)",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    body: editMessageBody,
    response: messageSchema,
    handler: async ({ actor, params, body }) => {
      const m = await k.policy.authorize(
        actor,
        ChatMessageResource,
        "edit",
        await loadMessage(k, db, params.id, actor),
      );
      await checkLength(k, body.text);
      if (!body.text.trim() && !m.attachments)
        throw new AppError("validation", "a message needs text; delete it instead");
      await checkBroadcast(k, db, actor, m.room, body.text, body.confirmAll);
      const now = new Date().toISOString();
      const parsed = parseMentions(body.text);
      const updated = await db.transaction().execute(async (tx) => {
        await tx
          .insertInto("chat_message_edits")
          .values({ id: uuidv7(), message_id: m.id, text: m.text, edited_by: actor.id, edited_at: now })
          .execute();
        const members = await tx
          .selectFrom("chat_members")
          .innerJoin("users", "users.id", "chat_members.user_id")
          .select(["users.id", "users.username"])
          .where("chat_members.room_id", "=", m.room_id)
          .execute();
        const wanted = new Set(parsed.usernames);
        const mentioned = members.filter((u) => wanted.has(u.username) && u.id !== m.author_id).map((u) => u.id);
        const old = JSON.parse(m.mentions) as { roomIds?: string[] };
        await tx.deleteFrom("chat_mentions").where("message_id", "=", m.id).execute();
        if (mentioned.length)
          await tx
            .insertInto("chat_mentions")
            .values(mentioned.map((user_id) => ({ message_id: m.id, room_id: m.room_id, user_id, seq: m.seq })))
            .execute();
        const mentions = JSON.stringify({
          userIds: mentioned,
          all: parsed.all,
          here: parsed.here,
          roomIds: old.roomIds ?? [],
        });
        await tx
          .updateTable("chat_messages")
          .set({
            text: body.text,
            edited_at: now,
            mentions,
            mentions_all: parsed.all || parsed.here ? 1 : 0,
            has_link: /https?:\/\/\S+/i.test(body.text) ? 1 : 0,
          })
          .where("id", "=", m.id)
          .execute();
        const row = normalizeMessage(
          await tx.selectFrom("chat_messages").selectAll().where("id", "=", m.id).executeTakeFirstOrThrow(),
        );
        await indexMessage(tx, k.database.kind, row);
        const message = await presentOne(tx, row, null);
        // The text it replaces stays only in the edit history, which follows the message's own access.
        await redactMessages(tx, [m.id], () => message);
        await recordEvent(tx, {
          name: "chat.message.updated",
          actorId: actor.id,
          resources: { room: m.room_id, message: m.id },
          payload: { message },
          topics: [roomTopic(m.room_id)],
          source: messageSource(m.id),
        });
        return row;
      });
      return presentOne(db, updated, actor.id);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/messages/:id/edits",
    summary: "Earlier versions of an edited message, oldest first",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    response: messageEditListSchema,
    handler: async ({ actor, params }) => {
      const m = await k.policy.authorize(
        actor,
        ChatMessageResource,
        "read",
        await loadMessage(k, db, params.id, actor),
      );
      if (m.deleted_at) return { items: [] };
      const rows = await db
        .selectFrom("chat_message_edits")
        .selectAll()
        .where("message_id", "=", m.id)
        .orderBy("edited_at")
        .orderBy("id")
        .execute();
      return { items: rows.map((r) => ({ text: r.text, editedBy: r.edited_by, replacedAt: r.edited_at })) };
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/chat/messages/:id",
    summary: "Delete a message: it stays as a tombstone, its content, reactions and search entry go",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    response: noContent,
    handler: async ({ actor, params }) => {
      const m = await k.policy.authorize(
        actor,
        ChatMessageResource,
        "delete",
        await loadMessage(k, db, params.id, actor),
      );
      const now = new Date().toISOString();
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable("chat_messages")
          .set({
            deleted_at: now,
            text: "",
            attachments: null,
            preview: null,
            meta: null,
            mentions: "{}",
            mentions_all: 0,
            has_link: 0,
            has_file: 0,
            pinned_at: null,
            pinned_by: null,
          })
          .where("id", "=", m.id)
          .execute();
        await tx.deleteFrom("chat_mentions").where("message_id", "=", m.id).execute();
        await tx.deleteFrom("chat_reactions").where("message_id", "=", m.id).execute();
        await tx.deleteFrom("chat_message_edits").where("message_id", "=", m.id).execute();
        await unindexMessage(tx, k.database.kind, m.id);
        await redactMessages(tx, [m.id], (old) => tombstone(old, now));
        if (m.parent_id) {
          await tx
            .updateTable("chat_messages")
            .set((eb) => ({ reply_count: eb("reply_count", "-", 1) }))
            .where("id", "=", m.parent_id)
            .where("reply_count", ">", 0)
            .execute();
        }
        await recordEvent(tx, {
          name: "chat.message.deleted",
          actorId: actor.id,
          resources: { room: m.room_id, message: m.id },
          payload: { roomId: m.room_id, messageId: m.id, parentId: m.parent_id },
          topics: [roomTopic(m.room_id)],
        });
      });
      return undefined;
    },
  });
}
