import { Transform, type Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import sharp from "sharp";
import { z } from "zod";
import { uuidv7 } from "@ensemble/protocol";
import { AppError, rawResponse, route, type Actor, type Kernel } from "@ensemble/kernel";
import { getChatSettings } from "../chat-settings.ts";
import { ChatRoomResource } from "../resources.ts";
import { loadRoom } from "../rooms.ts";
import { chatDb } from "../tables.ts";
import { type ChatFilesTable } from "./file-tables.ts";
import { mayReadFile } from "./file-sharing.ts";
import { uploadedFileSchema, type ChatFile } from "../../shared/message-wire.ts";

const THUMB_SIZE = 480;
/** Larger images are not decoded for a thumbnail (memory): they show as file cards. */
const THUMB_SOURCE_MAX = 50 * 1_048_576;
const THUMBNAILED = /^image\/(png|jpeg|gif|webp|avif|tiff)$/;
/** Shown inline by browsers; anything else is downloaded (an HTML or SVG file never runs on our origin). */
const INLINE = /^(image\/(png|jpeg|gif|webp|avif)|audio\/[\w.+-]+|video\/[\w.+-]+|application\/pdf|text\/plain)$/;

const uploadQuery = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(/^[^/\\\0]+$/, "a file name, without slashes"),
});

export function presentFile(f: ChatFilesTable): ChatFile {
  return {
    id: f.id,
    roomId: f.room_id,
    messageId: f.message_id,
    ownerId: f.owner_id,
    name: f.name,
    size: Number(f.size),
    mimeType: f.mime_type,
    width: f.width,
    height: f.height,
    createdAt: f.created_at,
    url: `/api/chat/files/${f.id}`,
    thumbnailUrl: f.thumb_key ? `/api/chat/files/${f.id}/thumbnail` : null,
  };
}

function mimeOf(header: string | undefined): string {
  const t = (header ?? "").split(";")[0]!.trim().toLowerCase();
  return /^[a-z]+\/[a-z0-9.+-]{1,100}$/.test(t) ? t : "application/octet-stream";
}

/** Passes bytes through until `limit`, then fails with 413 (the stored part is discarded by the caller). */
function sizeLimit(limit: number, counted: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      counted.bytes += chunk.length;
      if (counted.bytes > limit) cb(tooLarge(limit));
      else cb(null, chunk);
    },
  });
}

/** One `bytes=` range (the only form players send); null for none or several, "unsatisfiable" beyond the end. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | "unsatisfiable" {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === "" && m[2] === "")) return null;
  let start: number;
  let end: number;
  if (m[1] === "") {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return "unsatisfiable";
  return { start, end };
}

/** Passes through bytes start..end (inclusive) of a stream read from its beginning. */
function slice(start: number, end: number): Transform {
  let at = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      const from = Math.max(0, start - at);
      const to = Math.min(chunk.length, end + 1 - at);
      at += chunk.length;
      cb(null, to > from ? chunk.subarray(from, to) : undefined);
    },
  });
}

const tooLarge = (limit: number) =>
  new AppError("payload_too_large", `files are limited to ${Math.round(limit / 1_048_576)} MB`);

/**
 * Files in messages: the upload streams to the blob store (size limit from
 * the chat settings), images get a thumbnail, and the file row is ready for
 * the files service to list in its owner's space. Reading a file or its
 * thumbnail needs read access to the room it was posted in (404 otherwise).
 */
export function fileRoutes(app: FastifyInstance, k: Kernel): void {
  const db = chatDb(k);

  // The body is the file itself, streamed: this scope takes any content type as a raw stream.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, payload, done) => done(null, payload));
    route(scope, {
      method: "POST",
      url: "/api/chat/rooms/:id/files",
      summary:
        "Upload a file to attach to a message (the body is the file; ?name= its name); answers the attachment to send",
      tags: ["chat", "files"],
      auth: "user",
      rateLimit: { max: 60, timeWindow: "1 minute", per: "credential" },
      params: z.object({ id: z.uuid() }),
      query: uploadQuery,
      response: uploadedFileSchema,
      status: 201,
      handler: async ({ actor, params, query, req }) => {
        const room = await k.policy.authorize(
          actor,
          ChatRoomResource,
          "post",
          await loadRoom(chatDb(k), params.id, actor),
        );
        const limit = (await getChatSettings(k)).maxUploadMb * 1_048_576;
        const declared = Number(req.headers["content-length"] ?? NaN);
        if (declared > limit) throw tooLarge(limit);
        const body = req.body as Readable | undefined;
        if (!body || typeof body.pipe !== "function")
          throw new AppError("validation", "send the file as the request body");
        const id = uuidv7();
        const key = `chat/${room.id}/${id}`;
        const counted = { bytes: 0 };
        try {
          await k.blobs.put(key, body.pipe(sizeLimit(limit, counted)));
        } catch (e) {
          await k.blobs.delete(key);
          // Unread request bytes would otherwise stall the connection.
          req.raw.resume();
          if (e instanceof AppError) throw e;
          throw new AppError("validation", "the upload was interrupted");
        }
        if (counted.bytes === 0) {
          await k.blobs.delete(key);
          throw new AppError("validation", "the file is empty");
        }
        const mime = mimeOf(req.headers["content-type"]);
        const row: ChatFilesTable = {
          id,
          owner_id: actor.id,
          room_id: room.id,
          message_id: null,
          name: query.name,
          size: counted.bytes,
          mime_type: mime,
          blob_key: key,
          thumb_key: null,
          width: null,
          height: null,
          created_at: new Date().toISOString(),
        };
        if (THUMBNAILED.test(mime) && counted.bytes <= THUMB_SOURCE_MAX) Object.assign(row, await thumbnail(k, key));
        await db.insertInto("chat_files").values(row).execute();
        const file = presentFile(row);
        return {
          file,
          attachment: { file: { id: file.id, name: file.name, size: file.size, mimeType: file.mimeType } },
        };
      },
    });
  });

  const loadReadable = async (fileId: string, actor: Actor) => {
    const f = await db.selectFrom("chat_files").selectAll().where("id", "=", fileId).executeTakeFirst();
    if (!f || !(await mayReadFile(k, f, actor))) throw new AppError("not_found", "file not found");
    return f;
  };

  route(app, {
    method: "GET",
    url: "/api/chat/files/:id",
    summary: "A file attached in a room (readers of the room only)",
    tags: ["chat", "files"],
    auth: "user",
    params: z.object({ id: z.uuid() }),
    query: z.object({ download: z.enum(["1", "0"]).optional() }),
    response: rawResponse(
      "application/octet-stream",
      "The file: its own type when a browser may show it inline, a byte range on request",
    ),
    handler: async ({ actor, params, query, req, reply }) => {
      const f = await loadReadable(params.id, actor);
      const size = Number(f.size);
      const range = parseRange(req.headers.range, size);
      if (range === "unsatisfiable") {
        throw new AppError("range_not_satisfiable", "the requested range is outside the file", {
          headers: { "content-range": `bytes */${size}` },
        });
      }
      const stream = await k.blobs.get(f.blob_key);
      if (!stream) throw new AppError("not_found", "file not found");
      const inline = INLINE.test(f.mime_type) && query.download !== "1";
      reply
        .header("content-type", inline ? f.mime_type : "application/octet-stream")
        .header("accept-ranges", "bytes")
        .header(
          "content-disposition",
          `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(f.name)}`,
        )
        .header("cache-control", "private, max-age=3600")
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; sandbox");
      if (!range) return reply.header("content-length", String(size)).send(stream);
      // Audio and video players seek with ranges.
      return reply
        .code(206)
        .header("content-range", `bytes ${range.start}-${range.end}/${size}`)
        .header("content-length", String(range.end - range.start + 1))
        .send(stream.pipe(slice(range.start, range.end)));
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/files/:id/thumbnail",
    summary: "An image file's thumbnail (WebP, readers of the room only)",
    tags: ["chat", "files"],
    auth: "user",
    params: z.object({ id: z.uuid() }),
    response: rawResponse("image/webp", "The thumbnail"),
    handler: async ({ actor, params, reply }) => {
      const f = await loadReadable(params.id, actor);
      const stream = f.thumb_key ? await k.blobs.get(f.thumb_key) : null;
      if (!stream) throw new AppError("not_found", "this file has no thumbnail");
      reply
        .header("content-type", "image/webp")
        .header("cache-control", "private, max-age=86400")
        .header("x-content-type-options", "nosniff");
      return reply.send(stream);
    },
  });
}

async function thumbnail(k: Kernel, key: string): Promise<Partial<ChatFilesTable>> {
  try {
    const chunks: Buffer[] = [];
    const src = await k.blobs.get(key);
    if (!src) return {};
    for await (const c of src) chunks.push(c as Buffer);
    const input = Buffer.concat(chunks);
    const meta = await sharp(input, { limitInputPixels: 100_000_000 }).metadata();
    const thumb = await sharp(input, { limitInputPixels: 100_000_000 })
      .rotate()
      .resize({ width: THUMB_SIZE, height: THUMB_SIZE, fit: "inside", withoutEnlargement: true })
      .webp({ quality: 78 })
      .toBuffer();
    const thumbKey = `${key}.thumb.webp`;
    await k.blobs.put(thumbKey, thumb);
    return {
      thumb_key: thumbKey,
      width: meta.autoOrient?.width ?? meta.width ?? null,
      height: meta.autoOrient?.height ?? meta.height ?? null,
    };
  } catch {
    // Not decodable as an image: it stays a plain file.
    return {};
  }
}
