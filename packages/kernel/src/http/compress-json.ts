import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { FastifyInstance, FastifyReply } from "fastify";

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Below this an answer goes as it is: headers and a compressor's framing would eat the gain. */
export const COMPRESS_THRESHOLD = 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/**
 * The encoding to answer with: brotli when the client takes it, else gzip
 * (`*` counts as both), none when both are refused (`q=0`) or not named.
 */
export function pickEncoding(acceptEncoding: string | undefined): "br" | "gzip" | null {
  if (!acceptEncoding) return null;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [name = "", ...params] = part.trim().split(";");
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name.trim(), Number.isFinite(value) ? value : 0);
  }
  const weight = (e: string) => q.get(e) ?? q.get("*") ?? 0;
  if (weight("br") > 0 && weight("br") >= weight("gzip")) return "br";
  if (weight("gzip") > 0) return "gzip";
  return null;
}

/** Adds `accept-encoding` to `Vary` without dropping what is there. */
export function varyOnEncoding(reply: FastifyReply): void {
  const current = String(reply.getHeader("vary") ?? "");
  if (!current) reply.header("vary", "accept-encoding");
  else if (current !== "*" && !/(^|,)\s*accept-encoding\s*(,|$)/i.test(current))
    reply.header("vary", `${current}, accept-encoding`);
}

/**
 * JSON answers (the API's and problem+json) above `COMPRESS_THRESHOLD`
 * bytes are compressed for clients that accept it: brotli at quality 4
 * (close to gzip's speed, smaller output — per-request work must stay small)
 * or gzip level 6. Static files are compressed once at build time instead
 * (`@fastify/static`'s `preCompressed`); streams, WebDAV XML and file
 * downloads are left alone.
 */
export function installJsonCompression(app: FastifyInstance): void {
  app.addHook("onSend", async (req, reply, payload) => {
    if (typeof payload !== "string" && !Buffer.isBuffer(payload)) return payload;
    if (reply.getHeader("content-encoding") || !JSON_TYPE.test(String(reply.getHeader("content-type") ?? "")))
      return payload;
    const size = Buffer.byteLength(payload);
    if (size < COMPRESS_THRESHOLD) return payload;
    varyOnEncoding(reply);
    const encoding = pickEncoding(req.headers["accept-encoding"]);
    if (!encoding) return payload;
    const body =
      encoding === "br"
        ? await brotli(payload, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: size },
          })
        : await gz(payload, { level: 6 });
    reply.header("content-encoding", encoding);
    reply.removeHeader("content-length");
    return body;
  });
}
