import type { FastifyInstance } from "fastify";
import sharp from "sharp";
import { z } from "zod";
import { AppError, rawResponse, route, SafeFetchError, verifySignature, type Kernel } from "@ensemble/kernel";
import { ChatMessageResource, ChatRoomResource } from "../resources.ts";
import { type ChatTables, chatDb } from "../tables.ts";
import { loadMessageRecord, recordMessageUpdated } from "./message-record.ts";
import { IMAGE_PURPOSE, PREVIEW_IMAGE_PATH, SIGNING_KEY } from "./preview-service.ts";
import { messageEnvelopeSchema } from "../../shared/message-wire.ts";

const IMAGE_LIMIT = 5 * 1_048_576;
const RASTER = /^image\/(png|jpeg|gif|webp|avif)\b/i;

export function previewRoutes(app: FastifyInstance, k: Kernel): void {
  route(app, {
    method: "DELETE",
    url: "/api/chat/messages/:id/preview",
    summary: "Remove a message's link preview (its sender, or a moderator); it is not fetched again",
    tags: ["chat"],
    auth: "user",
    params: z.object({ id: z.uuid() }),
    response: messageEnvelopeSchema,
    handler: async ({ actor, params }) => {
      const m = await k.policy.authorize(
        actor,
        ChatMessageResource,
        "read",
        await loadMessageRecord(k, params.id, actor),
      );
      const mayModerate = await k.policy.can(actor, ChatRoomResource, "moderate", m.room);
      if (m.author_id !== actor.id && !mayModerate)
        throw new AppError("forbidden", "only the sender may remove this preview");
      if (m.deleted_at !== null) throw new AppError("not_found", "chat_message not found");
      return chatDb(k)
        .transaction()
        .execute(async (tx) => {
          await tx
            .withTables<Pick<ChatTables, "chat_preview_removals">>()
            .insertInto("chat_preview_removals")
            .values({ message_id: m.id, removed_at: new Date().toISOString() })
            .onConflict((oc) => oc.column("message_id").doNothing())
            .execute();
          await tx.updateTable("chat_messages").set({ preview: null }).where("id", "=", m.id).execute();
          return { message: await recordMessageUpdated(tx, m.id, actor.id) };
        });
    },
  });

  route(app, {
    method: "GET",
    url: PREVIEW_IMAGE_PATH,
    summary:
      "A link preview's or an integration's image, fetched by the server (browsers never reach third-party origins)",
    tags: ["chat"],
    auth: "user",
    rateLimit: { max: 240, timeWindow: "1 minute", per: "credential" },
    query: z.object({ url: z.string().min(1).max(2000), sig: z.string().min(10).max(100) }),
    response: rawResponse("image/webp", "The image, re-encoded here"),
    handler: async ({ query, reply }) => {
      if (!verifySignature(await k.secrets.key(SIGNING_KEY), IMAGE_PURPOSE, query.url, query.sig))
        throw new AppError("not_found", "image not found");
      let res;
      try {
        res = await k.net.fetch(query.url, {
          maxBytes: IMAGE_LIMIT,
          timeoutMs: 10_000,
          headers: { accept: "image/avif,image/webp,image/png,image/jpeg,image/gif" },
        });
      } catch (e) {
        if (e instanceof SafeFetchError) throw new AppError("not_found", `image unavailable (${e.code})`);
        throw e;
      }
      if (res.status !== 200 || !RASTER.test(res.headers["content-type"] ?? ""))
        throw new AppError("not_found", "image unavailable");
      let out: Buffer;
      try {
        // Re-encoded: what reaches the browser is a plain bitmap made here, whatever the site sent.
        out = await sharp(res.body, { animated: true, limitInputPixels: 40_000_000 })
          .rotate()
          .resize({ width: 1200, height: 1200, fit: "inside", withoutEnlargement: true })
          .webp({ quality: 80 })
          .toBuffer();
      } catch {
        throw new AppError("not_found", "image unavailable");
      }
      reply
        .header("content-type", "image/webp")
        .header("cache-control", "private, max-age=86400")
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; sandbox");
      return reply.send(out);
    },
  });
}
