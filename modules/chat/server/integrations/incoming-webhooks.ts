import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { uuidv7 } from "@ensemble/protocol";
import { AppError, rawResponse, route, type Kernel } from "@ensemble/kernel";
import { randomToken, safeEqual, sha256 } from "@ensemble/kernel";
import { ChatRoomResource } from "../resources.ts";
import { loadRoom } from "../rooms.ts";
import { postMessage } from "../post-message.ts";
import { roomHookRoutes } from "./room-hooks.ts";
import { chatDb } from "../tables.ts";
import { type ChatIncomingWebhooksTable } from "./integration-tables.ts";
import { PreviewService } from "../previews/preview-service.ts";
import { incomingHookCreatedSchema, incomingHookListSchema, type IncomingHook } from "../../shared/integration-wire.ts";
import type { MessageMeta } from "../../shared/schemas.ts";
import {
  blocksToMarkdown,
  MAX_TEXT,
  mrkdwnToMarkdown,
  slackBody,
  slackPayloadSchema,
  toAttachments,
} from "./slack-payload.ts";

const createBody = z
  .object({
    name: z.string().trim().min(1).max(80),
    username: z.string().trim().min(1).max(80).optional(),
    iconUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
  })
  .strict();

const present = (h: ChatIncomingWebhooksTable): IncomingHook => ({
  id: h.id,
  roomId: h.room_id,
  name: h.name,
  username: h.username,
  iconUrl: h.icon_url,
  createdBy: h.created_by,
  createdAt: h.created_at,
  lastUsedAt: h.last_used_at,
});

/**
 * Slack-compatible incoming webhooks: a room manager creates one and gets a
 * secret URL; whoever holds it posts into the room (kind `webhook`). The
 * secret is shown once and stored hashed.
 */
export function incomingWebhookRoutes(app: FastifyInstance, k: Kernel): void {
  const db = chatDb(k);
  const previews = new PreviewService(db, k);

  route(app, {
    method: "POST",
    url: "/api/chat/rooms/:roomId/incoming-webhooks",
    summary: "Create an incoming webhook posting into this room (its URL is shown once)",
    tags: ["chat", "integrations"],
    auth: "user",
    params: z.object({ roomId: z.uuid() }),
    body: createBody,
    response: incomingHookCreatedSchema,
    status: 201,
    handler: async ({ actor, params, body }) => {
      const room = await k.policy.authorize(
        actor,
        ChatRoomResource,
        "manage",
        await loadRoom(chatDb(k), params.roomId, actor),
      );
      const secret = randomToken(24);
      const row: ChatIncomingWebhooksTable = {
        id: uuidv7(),
        room_id: room.id,
        name: body.name,
        secret_hash: sha256(secret),
        username: body.username ?? null,
        icon_url: body.iconUrl ?? null,
        created_by: actor.id,
        created_at: new Date().toISOString(),
        last_used_at: null,
      };
      await db.insertInto("chat_incoming_webhooks").values(row).execute();
      return { ...present(row), url: `${k.config.publicUrl}/hooks/${row.id}/${secret}` };
    },
  });

  roomHookRoutes(app, k, {
    table: "chat_incoming_webhooks",
    path: "incoming-webhooks",
    deleteSummary: "Delete an incoming webhook: its URL stops working at once",
    list: incomingHookListSchema,
    present,
  });

  route(app, {
    method: "POST",
    url: "/hooks/:id/:secret",
    summary: "Slack-compatible incoming webhook: JSON body or `payload=` form field",
    tags: ["integrations"],
    auth: "none",
    csrfExempt: true,
    formBody: true,
    rateLimit: {
      max: 120,
      timeWindow: "1 minute",
      per: (req) => `hook:${(req.params as { id?: string }).id ?? ""}`,
    },
    params: z.object({ id: z.string().max(64), secret: z.string().max(128) }),
    body: z.unknown(),
    response: rawResponse("text/plain", "ok, as Slack answers"),
    handler: async ({ params, body, reply }) => {
      const hook = /^[0-9a-f-]{36}$/.test(params.id)
        ? await db.selectFrom("chat_incoming_webhooks").selectAll().where("id", "=", params.id).executeTakeFirst()
        : undefined;
      if (!hook || !safeEqual(hook.secret_hash, sha256(params.secret)))
        throw new AppError("not_found", "no such webhook");
      const parsed = slackPayloadSchema.safeParse(slackBody(body));
      if (!parsed.success) {
        throw new AppError("validation", "the payload is not a valid Slack message", {
          errors: parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: i.message })),
        });
      }
      const p = parsed.data;
      const room = await db
        .selectFrom("chat_rooms")
        .select(["id", "archived_at"])
        .where("id", "=", hook.room_id)
        .executeTakeFirstOrThrow();
      if (room.archived_at !== null) throw new AppError("forbidden", "the room is archived");
      const proxy = (u: string) => previews.imagePath(u);
      const attachments = await toAttachments(p, proxy);
      const icon = p.icon_url ?? hook.icon_url ?? undefined;
      const meta: MessageMeta = { username: p.username ?? hook.username ?? hook.name, webhookId: hook.id };
      if (icon && /^https?:\/\//i.test(icon)) {
        const path = await proxy(icon);
        if (path.length <= 4000) meta.iconUrl = path;
      }
      if (p.icon_emoji) meta.iconEmoji = p.icon_emoji;
      await db.transaction().execute(async (tx) => {
        await postMessage(k, tx, {
          roomId: room.id,
          authorId: null,
          kind: "webhook",
          // With blocks, Slack shows the blocks and keeps `text` for notifications only.
          text: (
            blocksToMarkdown(p.blocks) ||
            (p.text !== undefined && p.mrkdwn !== false ? mrkdwnToMarkdown(p.text) : (p.text ?? ""))
          ).slice(0, MAX_TEXT),
          attachments,
          meta,
        });
        await tx
          .updateTable("chat_incoming_webhooks")
          .set({ last_used_at: new Date().toISOString() })
          .where("id", "=", hook.id)
          .execute();
      });
      // Slack answers a plain "ok"; its client libraries read it as text.
      return reply.code(200).type("text/plain; charset=utf-8").send("ok");
    },
  });
}
