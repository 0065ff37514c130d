import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { uuidv7 } from "@ensemble/protocol";
import { AppError, audit, recordEvent, route, type Kernel } from "@ensemble/kernel";
import { ChatMessageResource, ChatRoomResource } from "../resources.ts";
import { loadRoom } from "../rooms.ts";
import { loadMessage } from "../messages.ts";
import { chatDb } from "../tables.ts";
import { asActor } from "../integrations/ephemeral.ts";
import { reportCreatedSchema, reportListSchema, reportResolvedSchema } from "../../shared/moderation-wire.ts";

const resolveBody = z
  .object({
    resolution: z.enum(["dismissed", "message_deleted", "member_muted", "handled"]).default("handled"),
    /** Deletes the reported message as part of the resolution. */
    deleteMessage: z.boolean().default(false),
    note: z.string().trim().max(1000).optional(),
  })
  .strict();

/** Members report a message; the room's moderators list and resolve reports. */
export function reportRoutes(app: FastifyInstance, k: Kernel): void {
  const db = chatDb(k);

  route(app, {
    method: "POST",
    url: "/api/chat/messages/:id/reports",
    summary: "Report a message to the room's moderators (once per person and message)",
    tags: ["chat", "moderation"],
    auth: "user",
    rateLimit: { max: 30, timeWindow: "1 minute", per: "credential" },
    params: z.object({ id: z.uuid() }),
    body: z.object({ reason: z.string().trim().min(1).max(1000) }).strict(),
    response: reportCreatedSchema,
    status: 201,
    handler: async ({ actor, params, body }) => {
      const m = await k.policy.authorize(
        actor,
        ChatMessageResource,
        "read",
        await loadMessage(k, chatDb(k), params.id, actor),
      );
      if (m.deleted_at !== null) throw new AppError("conflict", "this message was deleted");
      if (m.room.viewerRole === null) throw new AppError("forbidden", "join the room to report its messages");
      const existing = await db
        .selectFrom("chat_reports")
        .select("id")
        .where("message_id", "=", m.id)
        .where("reporter_id", "=", actor.id)
        .executeTakeFirst();
      if (existing) throw new AppError("conflict", "you already reported this message");
      const id = uuidv7();
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto("chat_reports")
          .values({
            id,
            room_id: m.room_id,
            message_id: m.id,
            reporter_id: actor.id,
            reason: body.reason,
            created_at: new Date().toISOString(),
            resolved_at: null,
            resolved_by: null,
            resolution: null,
          })
          .execute();
        // No realtime audience: reporters stay anonymous to the room; moderators list reports.
        await recordEvent(tx, {
          name: "chat.report.created",
          actorId: actor.id,
          resources: { room: m.room_id, message: m.id },
          payload: { roomId: m.room_id, reportId: id, messageId: m.id },
        });
      });
      return { id, messageId: m.id, roomId: m.room_id, reason: body.reason };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/rooms/:id/reports",
    summary: "Reports on the room's messages (moderators), open ones by default",
    tags: ["chat", "moderation"],
    auth: "user",
    params: z.object({ id: z.uuid() }),
    query: z.object({ status: z.enum(["open", "resolved", "all"]).default("open") }),
    response: reportListSchema,
    handler: async ({ actor, params, query }) => {
      const room = await k.policy.authorize(
        actor,
        ChatRoomResource,
        "moderate",
        await loadRoom(chatDb(k), params.id, actor),
      );
      let q = db
        .selectFrom("chat_reports")
        .innerJoin("chat_messages", "chat_messages.id", "chat_reports.message_id")
        .leftJoin("users as reporter", "reporter.id", "chat_reports.reporter_id")
        .leftJoin("users as author", "author.id", "chat_messages.author_id")
        .select([
          "chat_reports.id",
          "chat_reports.reason",
          "chat_reports.created_at",
          "chat_reports.resolved_at",
          "chat_reports.resolved_by",
          "chat_reports.resolution",
          "chat_messages.id as message_id",
          "chat_messages.text",
          "chat_messages.deleted_at",
          "reporter.id as reporter_id",
          "reporter.username as reporter_username",
          "author.id as author_id",
          "author.username as author_username",
        ])
        .where("chat_reports.room_id", "=", room.id)
        .orderBy("chat_reports.created_at", "desc")
        .limit(500);
      if (query.status === "open") q = q.where("chat_reports.resolved_at", "is", null);
      if (query.status === "resolved") q = q.where("chat_reports.resolved_at", "is not", null);
      const rows = await q.execute();
      return {
        items: rows.map((r) => ({
          id: r.id,
          reason: r.reason,
          createdAt: r.created_at,
          resolvedAt: r.resolved_at,
          resolvedBy: r.resolved_by,
          resolution: r.resolution,
          // Left joins: a person's row and name come together, or neither does.
          reporter:
            r.reporter_id && r.reporter_username !== null ? { id: r.reporter_id, username: r.reporter_username } : null,
          message: {
            id: r.message_id,
            text: r.deleted_at ? "" : r.text,
            deletedAt: r.deleted_at,
            author: r.author_id && r.author_username !== null ? { id: r.author_id, username: r.author_username } : null,
          },
        })),
      };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/chat/reports/:id/resolve",
    summary: "Resolve a report (moderators), optionally deleting the reported message",
    tags: ["chat", "moderation"],
    auth: "user",
    params: z.object({ id: z.uuid() }),
    body: resolveBody,
    response: reportResolvedSchema,
    handler: async ({ actor, params, body, req }) => {
      const report = await db.selectFrom("chat_reports").selectAll().where("id", "=", params.id).executeTakeFirst();
      if (!report) throw new AppError("not_found", "report not found");
      await k.policy.authorize(actor, ChatRoomResource, "moderate", await loadRoom(chatDb(k), report.room_id, actor));
      if (report.resolved_at !== null) throw new AppError("conflict", "this report is already resolved");
      if (body.deleteMessage) {
        const m = await db
          .selectFrom("chat_messages")
          .select("deleted_at")
          .where("id", "=", report.message_id)
          .executeTakeFirst();
        // The message route applies its own rules (a moderator may delete any message) and events.
        if (m && m.deleted_at === null)
          await asActor(app, req, "DELETE", `/api/chat/messages/${report.message_id}`, undefined);
      }
      const resolution = body.deleteMessage && body.resolution === "handled" ? "message_deleted" : body.resolution;
      const now = new Date().toISOString();
      await db.transaction().execute(async (tx) => {
        const r = await tx
          .updateTable("chat_reports")
          .set({ resolved_at: now, resolved_by: actor.id, resolution })
          .where("id", "=", report.id)
          .where("resolved_at", "is", null)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw new AppError("conflict", "this report is already resolved");
        await recordEvent(tx, {
          name: "chat.report.resolved",
          actorId: actor.id,
          resources: { room: report.room_id, message: report.message_id },
          payload: { roomId: report.room_id, reportId: report.id, resolution },
        });
        await audit(tx, {
          actorId: actor.id,
          action: "chat.report.resolved",
          target: { type: "chat_message", id: report.message_id },
          ip: req.ip,
          details: {
            roomId: report.room_id,
            reportId: report.id,
            resolution,
            ...(body.note ? { note: body.note } : {}),
          },
        });
      });
      return { id: report.id, resolvedAt: now, resolvedBy: actor.id, resolution };
    },
  });
}
