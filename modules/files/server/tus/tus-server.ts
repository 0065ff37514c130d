import path from "node:path";
import { Readable } from "node:stream";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Server } from "@tus/server";
import { FileStore } from "@tus/file-store";
import type { Kernel } from "@ensemble/kernel";

/** An upload nobody finished is discarded after a day (the tus store refuses its PATCHes from then on). */
export const UPLOAD_TTL_MS = 24 * 3_600_000;

/** The tus server of a kernel: the protocol's bookkeeping only, behind our own routes (see tus-routes.ts). */
export interface Tus {
  server: Server;
  store: FileStore;
  /** Runs a request through the tus server; `id` names the upload a creation makes. */
  handle(req: FastifyRequest, id?: string): Promise<Response>;
}

/**
 * The bytes in progress live in `DATA_DIR/tus` (a file per upload, appended to by each PATCH), not in
 * the blob store: an upload becomes a content only when complete, streamed through the same write
 * as every other upload (hash, quota, one transaction). Our routes authenticate, authorize and check
 * the quota before a request reaches this server; it then validates the tus headers and offsets.
 */
const servers = new WeakMap<Kernel, Tus>();

/** The kernel's one tus server (routes and the clean-up job share its store). */
export function tusOf(k: Kernel): Tus {
  let t = servers.get(k);
  if (!t) servers.set(k, (t = createTus(k)));
  return t;
}

function createTus(k: Kernel): Tus {
  const ids = new WeakMap<Request, string>();
  const store = new FileStore({
    directory: path.join(k.config.dataDir, "tus"),
    expirationPeriodInMilliseconds: UPLOAD_TTL_MS,
  });
  const server = new Server({
    path: "/api/files/uploads",
    datastore: store,
    // Our routes give the id (a creation) or take it from their URL.
    namingFunction: (req) => {
      const id = ids.get(req as unknown as Request);
      if (!id) throw new Error("a tus upload is created through its route");
      return id;
    },
    generateUrl: (_req, { id }) => `/api/files/uploads/${id}`,
    // Same origin only: no CORS header (the library answers `*` by default).
    allowedOrigins: () => false,
  });
  return {
    server,
    store,
    handle: (req, id) => {
      const web = toWebRequest(req);
      if (id) ids.set(web, id);
      return server.handleWeb(web);
    },
  };
}

/** The Fastify request as a fetch Request, its body streamed (only a tus data request has one). */
function toWebRequest(req: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  const data = req.headers["content-type"] === "application/offset+octet-stream" && !req.raw.readableEnded;
  return new Request(new URL(req.url, "http://tus.invalid"), {
    method: req.method,
    headers,
    body: data ? (Readable.toWeb(req.raw) as ReadableStream<Uint8Array>) : null,
    duplex: "half",
  } as RequestInit);
}

/** Sends the tus server's answer through Fastify (so the app's headers apply), with ours added. */
export async function sendTus(reply: FastifyReply, res: Response, extra: Record<string, string> = {}) {
  reply.code(res.status);
  res.headers.forEach((value, name) => {
    if (!name.startsWith("access-control-") && name !== "content-length") void reply.header(name, value);
  });
  for (const [name, value] of Object.entries(extra)) void reply.header(name, value);
  const body = await res.text();
  return res.status === 204 || body === "" ? reply.send() : reply.type("text/plain; charset=utf-8").send(body);
}
