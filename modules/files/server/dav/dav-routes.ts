import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from "fastify";
import { AppError, hasScope, type Kernel } from "@ensemble/kernel";
import { parsePath } from "../names.ts";
import { personalSpace } from "../spaces.ts";
import { filesDb } from "../tables.ts";
import type { Dav } from "./context.ts";
import { DAV_METHODS, getFile, options, propfind } from "./read-methods.ts";
import { copyMove, mkcol, put, remove } from "./write-methods.ts";
import { lock, proppatch, unlock } from "./proppatch-lock.ts";
import { CHUNK_METHODS, chunkedUpload } from "../nextcloud/chunked-upload.ts";
import { mountAt } from "./mounts.ts";
import { abandonBody } from "../upload.ts";

const EXTRA_METHODS = ["PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK"] as const;
const READS = new Set(["OPTIONS", "GET", "HEAD", "PROPFIND"]);

const handlers: Record<(typeof DAV_METHODS)[number], (d: Dav) => Promise<void> | void> = {
  OPTIONS: options,
  GET: (d) => getFile(d, false),
  HEAD: (d) => getFile(d, true),
  PUT: put,
  DELETE: remove,
  MKCOL: mkcol,
  COPY: (d) => copyMove(d, false),
  MOVE: (d) => copyMove(d, true),
  PROPFIND: propfind,
  PROPPATCH: proppatch,
  LOCK: lock,
  UNLOCK: unlock,
};

const byMethod = (d: Dav) => handlers[d.req.method as (typeof DAV_METHODS)[number]](d);

const challenge = { "www-authenticate": 'Basic realm="Ensemble", charset="UTF-8"' };

/**
 * WebDAV at the Nextcloud paths: `/remote.php/dav/files/{username}/…` and the older
 * `/remote.php/webdav/…`. Mounted as raw routes in a plugin of their own so that request bodies
 * are left unread for the handlers (a PUT streams straight to the blob store; XML bodies are read
 * with a size limit). Authentication is the kernel's (Basic with an app password, or a token).
 */
export async function davRoutes(app: FastifyInstance, k: Kernel): Promise<void> {
  for (const m of EXTRA_METHODS) if (!app.supportedMethods.includes(m)) app.addHttpMethod(m, { hasBody: true });
  await app.register(async (dav) => {
    dav.removeAllContentTypeParsers();
    dav.addContentTypeParser("*", (_req, _payload, done) => done(null, undefined));
    const handle =
      (prefix: (req: FastifyRequest) => string, dispatch: (d: Dav) => Promise<void> | void) =>
      async (req: FastifyRequest, reply: FastifyReply) => {
        const actor = req.actor;
        if (actor.kind !== "user")
          throw new AppError("unauthenticated", "sign in with your app password", { headers: challenge });
        if (!hasScope(actor, READS.has(req.method) ? "read" : "write"))
          throw new AppError("forbidden", "this app password lacks the scope for this method");
        const base = prefix(req);
        const pathname = req.url.split("?")[0]!;
        if (base === "") throw new AppError("not_found", "no such WebDAV tree");
        const rest = pathname.slice(base.length);
        const tail = rest.startsWith("/") ? rest.slice(1) : rest;
        const names = parsePath(tail);
        const personal = await personalSpace(k, actor);
        // In the files tree, a group folder or a share at the root: names resolve from it, under its own URL.
        const mount = dispatch === byMethod && names.length ? await mountAt(k, actor, personal, names[0]!) : undefined;
        const view = mount
          ? {
              space: mount.space,
              base: `${base}/${tail.split("/")[0]!}`,
              root: mount.rootId,
              prefix: mount.prefix,
              share: mount.share,
              names: names.slice(1),
            }
          : { space: personal, base, root: personal.root_id, prefix: [], share: null, names };
        const d: Dav = {
          k,
          db: filesDb(k),
          actor,
          ...view,
          path: [...view.prefix, ...view.names].join("/"),
          req,
          reply,
        };
        try {
          await dispatch(d);
        } catch (e) {
          abandonBody(req, reply);
          throw e;
        }
        return reply;
      };
    /** `/remote.php/dav/{files|uploads}/{username}`: the user named must be the one signed in (anyone else's tree is unseen). */
    const userBase =
      (tree: "files" | "uploads") =>
      (req: FastifyRequest): string => {
        const pathname = req.url.split("?")[0]!;
        const m = new RegExp(`^/remote\\.php/dav/${tree}/([^/]+)`).exec(pathname);
        let user: string;
        try {
          user = decodeURIComponent(m?.[1] ?? "");
        } catch {
          return "";
        }
        return req.actor.kind === "user" && user.toLowerCase() === req.actor.username ? m![0] : "";
      };
    const methods = [...DAV_METHODS] as HTTPMethods[];
    const hidden = { hide: true };
    // A sync client walks and uploads a whole tree with one app password: ten times the default
    // budget per credential (app passwords are random 256-bit tokens, so a guess is hopeless anyway).
    const config = { limit: { max: 6000, timeWindow: "1 minute" } };
    for (const url of ["/remote.php/dav/files/:user", "/remote.php/dav/files/:user/*"])
      dav.route({ method: methods, url, schema: hidden, config, handler: handle(userBase("files"), byMethod) });
    for (const url of ["/remote.php/webdav", "/remote.php/webdav/*"])
      dav.route({
        method: methods,
        url,
        schema: hidden,
        config,
        handler: handle(() => "/remote.php/webdav", byMethod),
      });
    // Nextcloud's chunked upload: a folder of chunks per file, assembled by a MOVE of `.file`.
    for (const url of ["/remote.php/dav/uploads/:user", "/remote.php/dav/uploads/:user/*"])
      dav.route({
        method: [...CHUNK_METHODS],
        url,
        schema: hidden,
        config,
        handler: handle(userBase("uploads"), chunkedUpload),
      });
  });
}
