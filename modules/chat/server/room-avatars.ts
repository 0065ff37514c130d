import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import sharp from "sharp";
import { z } from "zod";
import { uuidv7 } from "@ensemble/protocol";
import { AppError, rawResponse, recordEvent, route, type Kernel, type NamedMigration } from "@ensemble/kernel";
import { roomTopic } from "../shared/resources.ts";
import { ChatRoomResource } from "./resources.ts";
import { loadRoom, memberCount, presentPublicRoom } from "./rooms.ts";
import { roomView } from "./read-state.ts";
import { chatDb, type ChatDb, type ChatRoomsTable } from "./tables.ts";
import "./events.ts";
import { roomSchema } from "../shared/schemas.ts";

/** A room picture is small: the upload is refused beyond this, before anything is decoded. */
export const ROOM_AVATAR_MAX_BYTES = 1_048_576;
const ROOM_AVATAR_SIZE = 256;

async function roomAvatars(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("chat_rooms").addColumn("avatar_key", "text").execute();
}

export const roomAvatarMigrations: readonly NamedMigration[] = [
  { name: "20261128T2330_chat_room_avatars", up: roomAvatars },
];

/** What the first bytes say the file is: PNG, JPEG, GIF or WebP, or null (whatever the declared type). */
export function imageKind(b: Buffer): "png" | "jpeg" | "gif" | "webp" | null {
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return "png";
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.toString("latin1", 0, 6))) return "gif";
  if (b.length >= 12 && b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP") return "webp";
  return null;
}

/** Checks the bytes, decodes, and re-encodes as a square WebP: nothing the client sent is stored as is. */
async function toRoomAvatar(input: Buffer): Promise<Buffer> {
  const kind = imageKind(input);
  if (!kind) throw new AppError("invalid_image", "send a PNG, JPEG, GIF or WebP image");
  try {
    const img = sharp(input, { limitInputPixels: 40_000_000, failOn: "error" });
    const meta = await img.metadata();
    // The decoder must agree with the magic bytes (a polyglot file is refused).
    if (meta.format !== kind) throw new Error(`format ${meta.format ?? "unknown"}`);
    return await img
      .rotate()
      .resize(ROOM_AVATAR_SIZE, ROOM_AVATAR_SIZE, { fit: "cover", position: "attention" })
      .webp({ quality: 82 })
      .toBuffer();
  } catch {
    throw new AppError("invalid_image", "this image could not be read");
  }
}

async function publish(tx: ChatDb, actorId: string, room: ChatRoomsTable): Promise<void> {
  await recordEvent(tx, {
    name: "chat.room.updated",
    actorId,
    resources: { room: room.id },
    payload: { room: presentPublicRoom(room, await memberCount(tx, room.id)) },
    topics: [roomTopic(room.id)],
  });
}

const idParams = z.object({ id: z.uuid() });

/**
 * A room's picture: set and removed with the room's "manage" capability,
 * read by whoever may read the room (404 otherwise). Each upload gets a new
 * blob key, which versions `avatarUrl`; the old blob goes after commit.
 */
export function roomAvatarRoutes(app: FastifyInstance, k: Kernel): void {
  const db = chatDb(k);

  // The body is the image itself: this scope reads any content type as bytes, up to the limit (413 beyond).
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: ROOM_AVATAR_MAX_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    route(scope, {
      method: "PUT",
      url: "/api/chat/rooms/:id/avatar",
      summary: "Set the room's picture (PNG, JPEG, GIF or WebP body, at most 1 MiB); stored as a 256×256 WebP",
      tags: ["chat"],
      auth: "user",
      rateLimit: { max: 30, timeWindow: "1 minute", per: "credential" },
      params: idParams,
      response: roomSchema,
      handler: async ({ actor, params, req }) => {
        const r = await k.policy.authorize(actor, ChatRoomResource, "manage", await loadRoom(db, params.id, actor));
        const body = req.body;
        if (!Buffer.isBuffer(body) || body.length === 0)
          throw new AppError("invalid_image", "send a PNG, JPEG, GIF or WebP image");
        const image = await toRoomAvatar(body);
        const key = `chat/rooms/${r.id}/avatar-${uuidv7()}.webp`;
        await k.blobs.put(key, image);
        const next: ChatRoomsTable = { ...r, avatar_key: key, updated_at: new Date().toISOString() };
        try {
          await db.transaction().execute(async (tx) => {
            await tx
              .updateTable("chat_rooms")
              .set({ avatar_key: key, updated_at: next.updated_at })
              .where("id", "=", r.id)
              .execute();
            await publish(tx, actor.id, next);
          });
        } catch (e) {
          await k.blobs.delete(key);
          throw e;
        }
        if (r.avatar_key) await k.blobs.delete(r.avatar_key);
        return roomView(k, { ...next, viewerRole: r.viewerRole, viewerMute: r.viewerMute }, actor);
      },
    });
  });

  route(app, {
    method: "DELETE",
    url: "/api/chat/rooms/:id/avatar",
    summary: "Remove the room's picture",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    response: roomSchema,
    handler: async ({ actor, params }) => {
      const r = await k.policy.authorize(actor, ChatRoomResource, "manage", await loadRoom(db, params.id, actor));
      if (!r.avatar_key) return roomView(k, r, actor);
      const next: ChatRoomsTable = { ...r, avatar_key: null, updated_at: new Date().toISOString() };
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable("chat_rooms")
          .set({ avatar_key: null, updated_at: next.updated_at })
          .where("id", "=", r.id)
          .execute();
        await publish(tx, actor.id, next);
      });
      await k.blobs.delete(r.avatar_key);
      return roomView(k, { ...next, viewerRole: r.viewerRole, viewerMute: r.viewerMute }, actor);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/rooms/:id/avatar",
    summary: "The room's picture (WebP), for those who may read the room",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    query: z.object({ v: z.string().max(100).optional() }),
    response: rawResponse("image/webp", "The room's picture"),
    handler: async ({ actor, params, req, reply }) => {
      const r = await k.policy.authorize(actor, ChatRoomResource, "read", await loadRoom(db, params.id, actor));
      if (!r.avatar_key) throw new AppError("not_found", "this room has no picture");
      const etag = `"${createHash("sha256").update(r.avatar_key).digest("base64url").slice(0, 22)}"`;
      // Private: who may read the room depends on who asks. The URL carries a version, so a day is safe.
      reply
        .header("cache-control", "private, max-age=86400")
        .header("etag", etag)
        .header("x-content-type-options", "nosniff");
      if (req.headers["if-none-match"] === etag) return reply.code(304).send();
      const stream = await k.blobs.get(r.avatar_key);
      if (!stream) throw new AppError("not_found", "this room has no picture");
      return reply.type("image/webp").header("content-security-policy", "default-src 'none'; sandbox").send(stream);
    },
  });
}
