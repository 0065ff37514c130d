import type { Readable } from "node:stream";
import type { FastifyInstance, FastifyRequest } from "fastify";
import sharp from "sharp";
import { z } from "zod";
import { uuidv7 } from "@ensemble/protocol";
import {
  AppError,
  audit,
  authorizeOrg,
  noContent,
  rawResponse,
  recordEvent,
  route,
  type Kernel,
  type UserActor,
} from "@ensemble/kernel";
import { ChatOrgResource } from "../resources.ts";
import {
  BUNDLED_EMOJI_NAMES,
  CUSTOM_EMOJI_NAME,
  CUSTOM_EMOJI_TOPIC,
  type CustomEmoji,
  customEmojiListSchema,
  customEmojiSchema,
} from "../../shared/emoji-data.ts";
import { isUniqueViolation } from "@ensemble/kernel";
import { emojiDb, type ChatEmojiTable, type EmojiDb } from "./emoji-tables.ts";
import { sniffImage } from "./image-type.ts";
import "../events.ts";

/** Emoji are small pictures: a larger file is almost certainly a mistake (and costs every reader). */
export const EMOJI_MAX_BYTES = 256 * 1024;
const nameParams = z.object({ name: z.string().max(64) });

type Row = ChatEmojiTable & { username: string | null; display_name: string | null };

function present(r: Row): CustomEmoji {
  return {
    name: r.name,
    url: `/api/chat/emoji/${encodeURIComponent(r.name)}?v=${r.id}`,
    createdBy:
      r.created_by && r.username
        ? { id: r.created_by, username: r.username, displayName: r.display_name ?? r.username }
        : null,
    createdAt: r.created_at,
  };
}

const rows = (db: EmojiDb) =>
  db
    .selectFrom("chat_emoji")
    .leftJoin("users", "users.id", "chat_emoji.created_by")
    .selectAll("chat_emoji")
    .select(["users.username", "users.display_name"]);

function validName(name: string): string {
  if (!CUSTOM_EMOJI_NAME.test(name))
    throw new AppError("emoji_name_invalid", "2 to 32 characters: lowercase letters, digits, _ + -");
  if (BUNDLED_EMOJI_NAMES.has(name)) throw new AppError("emoji_name_taken", `:${name}: is a built-in emoji`);
  return name;
}

/** The request body, whole, refused beyond `limit` bytes (the rest is drained so the connection is not stalled). */
async function readLimited(req: FastifyRequest, limit: number): Promise<Buffer> {
  const tooLarge = () => new AppError("emoji_too_large", `emoji images are limited to ${limit / 1024} KiB`);
  if (Number(req.headers["content-length"] ?? 0) > limit) throw tooLarge();
  const body = req.body as Readable | undefined;
  if (!body || typeof body[Symbol.asyncIterator] !== "function")
    throw new AppError("validation", "send the image as the request body");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of body) {
    size += (c as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Custom emoji: administrators upload a small image under a `:name:`; every
 * signed-in person (guests too) lists and sees them, uses them in messages
 * and reactions. Changes are broadcast on the `chat:emoji` topic.
 */
export function emojiRoutes(app: FastifyInstance, k: Kernel): void {
  const db = emojiDb(k);
  const admin = (a: UserActor) => authorizeOrg(k, a, ChatOrgResource, "administer");

  route(app, {
    method: "GET",
    url: "/api/chat/emoji",
    summary: "Custom emoji of the organisation",
    tags: ["chat", "emoji"],
    auth: "user",
    response: customEmojiListSchema,
    handler: async () => ({ items: (await rows(db).orderBy("chat_emoji.name").execute()).map(present) }),
  });

  route(app, {
    method: "GET",
    url: "/api/chat/emoji/:name",
    summary: "A custom emoji's image (cached for good when asked with its versioned URL)",
    tags: ["chat", "emoji"],
    auth: "user",
    params: nameParams,
    query: z.object({ v: z.string().max(64).optional() }),
    response: rawResponse("image/*", "The emoji's image (PNG, GIF, JPEG or WebP)"),
    handler: async ({ params, query, req, reply }) => {
      const row = await db.selectFrom("chat_emoji").selectAll().where("name", "=", params.name).executeTakeFirst();
      if (!row) throw new AppError("not_found", "emoji not found");
      const etag = `"${row.id}"`;
      reply
        .header("etag", etag)
        // The versioned URL never changes content; the bare one is checked again each time.
        .header("cache-control", query.v === row.id ? "private, max-age=31536000, immutable" : "private, no-cache")
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; sandbox");
      if (req.headers["if-none-match"] === etag) return reply.code(304).send();
      const stream = await k.blobs.get(row.blob_key);
      if (!stream) throw new AppError("not_found", "emoji not found");
      // The type was found from the bytes at upload and is always one of four image types.
      return reply
        .header("content-type", row.mime_type)
        .header("content-length", String(row.size))
        .header("content-disposition", "inline")
        .send(stream);
    },
  });

  // The body is the image itself: this scope takes any content type as a raw stream.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, payload, done) => done(null, payload));
    route(scope, {
      method: "POST",
      url: "/api/chat/emoji",
      summary:
        "Add a custom emoji (administrators): the body is a PNG, GIF, JPEG or WebP image of at most 256 KiB; ?name= its shortcode",
      tags: ["chat", "emoji"],
      auth: "user",
      rateLimit: { max: 60, timeWindow: "1 minute", per: "credential" },
      query: z.object({ name: z.string().max(64) }),
      response: customEmojiSchema,
      status: 201,
      handler: async ({ actor, query, req }) => {
        let bytes: Buffer;
        try {
          await admin(actor);
          validName(query.name);
          bytes = await readLimited(req, EMOJI_MAX_BYTES);
        } catch (e) {
          // Unread request bytes would otherwise stall the connection.
          req.raw.resume();
          throw e;
        }
        const type = sniffImage(bytes);
        if (!type) throw new AppError("emoji_unsupported_type", "PNG, GIF, JPEG or WebP images only");
        try {
          const meta = await sharp(bytes, { limitInputPixels: 4_000_000, animated: true }).metadata();
          if (!meta.width || !meta.height) throw new Error("no size");
        } catch {
          throw new AppError("invalid_image", "the image cannot be read");
        }
        if (await db.selectFrom("chat_emoji").select("name").where("name", "=", query.name).executeTakeFirst()) {
          throw new AppError("emoji_name_taken", `:${query.name}: exists already`);
        }
        const id = uuidv7();
        const row: ChatEmojiTable = {
          name: query.name,
          id,
          blob_key: `chat/emoji/${id}`,
          mime_type: type,
          size: bytes.length,
          created_by: actor.id,
          created_at: new Date().toISOString(),
        };
        await k.blobs.put(row.blob_key, bytes);
        const me = await db.selectFrom("users").select("display_name").where("id", "=", actor.id).executeTakeFirst();
        const emoji = present({ ...row, username: actor.username, display_name: me?.display_name ?? null });
        try {
          await db.transaction().execute(async (tx) => {
            await tx.insertInto("chat_emoji").values(row).execute();
            await recordEvent(tx, {
              name: "chat.emoji.created",
              actorId: actor.id,
              resources: { emoji: row.name },
              payload: { emoji },
              topics: [CUSTOM_EMOJI_TOPIC],
            });
            await audit(tx, {
              actorId: actor.id,
              action: "chat.emoji.created",
              target: { type: "chat_emoji", id: row.name },
              ip: req.ip,
              details: { name: row.name, type, size: row.size },
            });
          });
        } catch (e) {
          await k.blobs.delete(row.blob_key);
          // Two administrators racing for the same name.
          if (isUniqueViolation(e)) throw new AppError("emoji_name_taken", `:${query.name}: exists already`);
          throw e;
        }
        return emoji;
      },
    });
  });

  route(app, {
    method: "DELETE",
    url: "/api/chat/emoji/:name",
    summary: "Remove a custom emoji (administrators); messages and reactions that used it show `:name:`",
    tags: ["chat", "emoji"],
    auth: "user",
    params: nameParams,
    response: noContent,
    handler: async ({ actor, params, req }) => {
      await admin(actor);
      const row = await db.selectFrom("chat_emoji").selectAll().where("name", "=", params.name).executeTakeFirst();
      if (!row) throw new AppError("not_found", "emoji not found");
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom("chat_emoji").where("name", "=", row.name).execute();
        await recordEvent(tx, {
          name: "chat.emoji.deleted",
          actorId: actor.id,
          resources: { emoji: row.name },
          payload: { name: row.name },
          topics: [CUSTOM_EMOJI_TOPIC],
        });
        await audit(tx, {
          actorId: actor.id,
          action: "chat.emoji.deleted",
          target: { type: "chat_emoji", id: row.name },
          ip: req.ip,
          details: { name: row.name },
        });
      });
      await k.blobs.delete(row.blob_key);
    },
  });
}
