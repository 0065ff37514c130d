import type { Readable } from "node:stream";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  AppError,
  hashPassword,
  noContent,
  randomToken,
  rawResponse,
  recordEvent,
  route,
  sha256,
  verifyPassword,
  type Kernel,
} from "@ensemble/kernel";
import { uuidv7 } from "@ensemble/protocol";
import { future } from "./share-routes.ts";
import { createdLinkSchema, linkAccessSchema, linksSchema, publicLinkSchema } from "../shared/wire.ts";
import { contentKey } from "./contents.ts";
import { checkName } from "./names.ts";
import { FilesLinkResource, FilesNodeResource, FilesPublicLinkResource } from "./resources.ts";
import { grantAccess, linkRecord, nodeUnderLink, presentLinks, publicEntry, publicLink } from "./links.ts";
import { filesDb, type FilesLinksTable } from "./tables.ts";
import { childrenOf, loadNodeRecord } from "./tree.ts";
import { mimeOf, uploadFile } from "./upload.ts";

const idParams = z.object({ id: z.uuid() });
// The parameter is named `token` so request logs redact it (the kernel's logger masks such segments).
const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });
const accessQuery = z.object({ access: z.string().max(200).optional() });

/** Public links: created, listed and revoked by those who may share; opened by whoever holds the token. */
export function linkRoutes(app: FastifyInstance, k: Kernel): void {
  const db = filesDb(k);

  route(app, {
    method: "POST",
    url: "/api/files/nodes/:id/links",
    summary: "Create a public link (read-only, or « dépôt »: upload-only into a folder), with a password and an expiry",
    tags: ["files"],
    auth: "user",
    params: idParams,
    body: z.object({
      kind: z.enum(["read", "upload"]).default("read"),
      password: z.string().min(8).max(200).nullable().default(null),
      expiresAt: future.default(null),
    }),
    response: createdLinkSchema,
    status: 201,
    handler: async ({ actor, params, body }) => {
      const rec = await k.policy.authorize(
        actor,
        FilesNodeResource,
        "share",
        await loadNodeRecord(db, actor, params.id),
      );
      if (body.kind === "upload" && rec.kind !== "folder")
        throw new AppError("files_path_invalid", "a drop box link is made on a folder");
      const token = randomToken();
      const link: FilesLinksTable = {
        id: uuidv7(),
        node_id: rec.id,
        space_id: rec.space_id,
        token_hash: sha256(token),
        kind: body.kind,
        password_hash: body.password === null ? null : await hashPassword(body.password, k.config),
        expires_at: body.expiresAt,
        downloads: 0,
        created_by: actor.id,
        created_at: new Date().toISOString(),
      };
      await db.transaction().execute(async (tx) => {
        await tx.insertInto("files_links").values(link).execute();
        await recordEvent(tx, {
          name: "files.link.created",
          actorId: actor.id,
          resources: { node: rec.id, space: rec.space_id, link: link.id },
          payload: { nodeId: rec.id, kind: link.kind, hasPassword: link.password_hash !== null },
        });
      });
      const [presented] = await presentLinks(k, actor, [await linkRecord(db, actor, link)]);
      return { ...presented!, token, path: `/s/${token}` };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/files/nodes/:id/links",
    summary: "The public links of a file or folder (to those who may share it)",
    tags: ["files"],
    auth: "user",
    params: idParams,
    response: linksSchema,
    handler: async ({ actor, params }) => {
      const rec = await k.policy.authorize(
        actor,
        FilesNodeResource,
        "share",
        await loadNodeRecord(db, actor, params.id),
      );
      const rows = await db
        .selectFrom("files_links as l")
        .selectAll("l")
        .where("l.node_id", "=", rec.id)
        .where(k.policy.scope(FilesLinkResource, actor)("l"))
        .orderBy("l.created_at")
        .limit(1000)
        .execute();
      return { links: await presentLinks(k, actor, await Promise.all(rows.map((l) => linkRecord(db, actor, l)))) };
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/files/links/:id",
    summary: "Revoke a public link: its token opens nothing any more",
    tags: ["files"],
    auth: "user",
    params: idParams,
    response: noContent,
    handler: async ({ actor, params }) => {
      const row = await db.selectFrom("files_links").selectAll().where("id", "=", params.id).executeTakeFirst();
      const link = await k.policy.authorize(
        actor,
        FilesLinkResource,
        "revoke",
        row && (await linkRecord(db, actor, row)),
      );
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom("files_links").where("id", "=", link.id).execute();
        await recordEvent(tx, {
          name: "files.link.revoked",
          actorId: actor.id,
          resources: { node: link.node_id, space: link.space_id, link: link.id },
          payload: { nodeId: link.node_id },
        });
      });
    },
  });

  /** The link behind a token for what its holder asks (`download` or `upload`): 404, 410 or 401 otherwise. */
  const opened = async (token: string, access: string | undefined, action?: "download" | "upload") => {
    const l = await k.policy.authorize(
      { kind: "anonymous" },
      FilesPublicLinkResource,
      "read",
      await publicLink(k, db, token, access),
    );
    return k.policy.authorize(
      { kind: "anonymous" },
      FilesPublicLinkResource,
      action ?? (l.kind === "read" ? "download" : "upload"),
      l,
    );
  };

  route(app, {
    method: "GET",
    url: "/api/files/public/:token",
    summary: "What a public link opens: the file, or the folder and what it holds (a drop box: its name only)",
    tags: ["files"],
    auth: "none",
    params: tokenParams,
    query: accessQuery,
    response: publicLinkSchema,
    handler: async ({ params, query }) => {
      const link = await opened(params.token, query.access);
      const node = await nodeUnderLink(db, link, undefined);
      const children = link.kind === "read" && node.kind === "folder" ? await childrenOf(db, node.id) : [];
      return {
        kind: link.kind,
        expiresAt: link.expires_at,
        node: publicEntry(node),
        children: children.map(publicEntry),
      };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/files/public/:token/unlock",
    summary: "Give a public link's password; answers a proof its page sends with each request for an hour",
    tags: ["files"],
    auth: "none",
    params: tokenParams,
    body: z.object({ password: z.string().max(200) }),
    response: linkAccessSchema,
    // Guessing a link's password: ten tries a minute per address.
    rateLimit: { max: 10, per: "address" },
    handler: async ({ params, body }) => {
      const link = await k.policy.authorize(
        { kind: "anonymous" },
        FilesPublicLinkResource,
        "read",
        await publicLink(k, db, params.token, undefined),
      );
      if (link.expired) throw new AppError("files_link_expired", "this link has expired");
      if (link.password_hash === null) return { access: await grantAccess(k, link) };
      if (!(await verifyPassword(link.password_hash, body.password)))
        throw new AppError("files_link_password_wrong", "that is not this link's password");
      return { access: await grantAccess(k, link) };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/files/public/:token/content",
    summary: "Download the linked file, or a file of the linked folder (?node=)",
    tags: ["files"],
    auth: "none",
    params: tokenParams,
    query: accessQuery.extend({ node: z.uuid().optional() }),
    response: rawResponse("application/octet-stream", "The file's bytes"),
    handler: async ({ params, query, reply }) => {
      const link = await opened(params.token, query.access, "download");
      const node = await nodeUnderLink(db, link, query.node);
      if (node.kind !== "file" || !node.content_id) throw new AppError("not_found", "not a file");
      const stream = await k.blobs.get(contentKey(node.content_id));
      if (!stream) throw new AppError("internal", `content of ${node.id} is missing`);
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable("files_links")
          .set((eb) => ({ downloads: eb("downloads", "+", 1) }))
          .where("id", "=", link.id)
          .execute();
        await recordEvent(tx, {
          name: "files.link.downloaded",
          actorId: null,
          resources: { node: node.id, space: node.space_id, link: link.id },
          payload: { linkId: link.id, nodeId: node.id },
        });
      });
      return reply
        .header("content-type", "application/octet-stream")
        .header("content-length", String(node.size))
        .header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(node.name)}`)
        .header("content-security-policy", "default-src 'none'; sandbox")
        .header("referrer-policy", "no-referrer")
        .send(stream);
    },
  });

  // « Dépôt »: the body is the file, streamed (this scope leaves every content type unread).
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, payload, done) => done(null, payload));
    route(scope, {
      method: "PUT",
      url: "/api/files/public/:token/files",
      summary: "Drop a file into a « dépôt » link's folder (never overwrites: a taken name gets « (2) »)",
      tags: ["files"],
      auth: "none",
      params: tokenParams,
      query: accessQuery.extend({ name: z.string().max(1024) }),
      response: z.object({ name: z.string(), size: z.number() }),
      status: 201,
      handler: async ({ params, query, req, reply }) => {
        try {
          return await dropFile(k, await opened(params.token, query.access, "upload"), query.name, req);
        } catch (e) {
          req.raw.resume();
          reply.header("connection", "close");
          throw e;
        }
      },
    });
  });
}

async function dropFile(k: Kernel, link: FilesLinksTable, wanted: string, req: FastifyRequest) {
  const db = filesDb(k);
  const folder = await nodeUnderLink(db, link, undefined);
  if (!link.created_by) throw new AppError("not_found", "this link is no longer anyone's");
  const base = checkName(wanted);
  const taken = new Set((await childrenOf(db, folder.id)).map((c) => c.name));
  const dot = base.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [base.slice(0, dot), base.slice(dot)] : [base, ""];
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${stem} (${i})${ext}`;
  const space = await db
    .selectFrom("files_spaces")
    .selectAll()
    .where("id", "=", link.space_id)
    .executeTakeFirstOrThrow();
  const body = req.body as Readable | undefined;
  if (!body || typeof body.pipe !== "function") throw new AppError("validation", "send the file as the body");
  const declared = req.headers["content-length"];
  const { node } = await uploadFile(k, {
    actorId: link.created_by,
    space,
    parent: folder,
    name,
    existing: undefined,
    body,
    declared: declared === undefined ? null : Number(declared),
    mimeType: mimeOf(req.headers["content-type"]),
    mtime: null,
    checksum: null,
  });
  return { name: node.name, size: Number(node.size) };
}
