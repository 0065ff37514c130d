import type { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AppError, rawResponse, route, noContent, type Kernel, type UserActor } from "@ensemble/kernel";
import { folderListingSchema, nodeSchema, spacesSchema, trashSchema } from "../shared/wire.ts";
import { checkName } from "./names.ts";
import { FilesNodeResource, type NodeRecord } from "./resources.ts";
import { personalSpace, spacesOf } from "./spaces.ts";
import { filesDb } from "./tables.ts";
import { ancestorsOf, childByName, childrenOf, loadNodeRecord, normalise } from "./tree.ts";
import { createFolder, purgeNode, restoreNode, trashNode } from "./commands.ts";
import { contentKey, discardBlobs } from "./contents.ts";
import { childRecord, presentNode, presentSpace } from "./present.ts";
import { abandonBody, mimeOf, uploadFile } from "./upload.ts";

const idParams = z.object({ id: z.uuid() });
const nameBody = z.object({ name: z.string().max(1024) });

/** The web API of Partageons: spaces, folders, uploads, downloads, trash. */
export function filesRoutes(app: FastifyInstance, k: Kernel): void {
  const db = filesDb(k);
  const load = async (actor: UserActor, id: string, action: "read" | "write" | "delete" | "restore" | "purge") =>
    k.policy.authorize(actor, FilesNodeResource, action, await loadNodeRecord(db, actor, id));
  const present = (actor: UserActor, rec: NodeRecord) => presentNode(k, actor, rec);

  route(app, {
    method: "GET",
    url: "/api/files/spaces",
    summary: "The spaces the signed-in person reaches: « Mes fichiers » and their groups' folders",
    tags: ["files"],
    auth: "user",
    response: spacesSchema,
    handler: async ({ actor }) => ({
      spaces: await Promise.all((await spacesOf(k, actor)).map((s) => presentSpace(k, s))),
    }),
  });

  route(app, {
    method: "GET",
    url: "/api/files/nodes/:id",
    summary: "A folder with its path from the space's root and its entries (a file: itself, no entries)",
    tags: ["files"],
    auth: "user",
    params: idParams,
    response: folderListingSchema,
    handler: async ({ actor, params }) => {
      const rec = await load(actor, params.id, "read");
      // Someone reached by a share sees the tree from the shared node down, never the folders above it.
      const all = await ancestorsOf(db, rec.id);
      const chain = rec.share ? all.slice(all.findIndex((n) => n.id === rec.share!.rootId)) : all;
      const children = rec.kind === "folder" ? await childrenOf(db, rec.id) : [];
      return {
        // A recipient sees the node, not the owner's space (its name, quota and usage).
        space: rec.space.access === null ? null : await presentSpace(k, rec.space),
        folder: await present(actor, rec),
        path: chain.map((n) => ({ id: n.id, name: n.parent_id === null ? rec.space.name : n.name })),
        children: await Promise.all(children.map((c) => present(actor, childRecord(rec, c)))),
      };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/files/nodes/:id/folders",
    summary: "Create a folder in a folder",
    tags: ["files"],
    auth: "user",
    params: idParams,
    body: nameBody,
    response: nodeSchema,
    status: 201,
    idempotent: true,
    handler: async ({ actor, params, body }) => {
      const parent = await load(actor, params.id, "write");
      if (parent.kind !== "folder") throw new AppError("files_path_invalid", "a folder is created in a folder");
      const name = checkName(body.name);
      const node = await db.transaction().execute((tx) => createFolder(tx, actor.id, parent, name));
      return present(actor, childRecord(parent, node));
    },
  });

  // The body is the file itself, streamed: this scope leaves every content type unread.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, payload, done) => done(null, payload));
    route(scope, {
      method: "PUT",
      url: "/api/files/nodes/:id/files",
      summary:
        "Upload a file into a folder (the body is the file, ?name= its name); an existing file gets a new version",
      tags: ["files"],
      auth: "user",
      params: idParams,
      query: z.object({ name: z.string().max(1024) }),
      response: nodeSchema,
      handler: async ({ actor, params, query, req, reply }) => {
        const parent = await load(actor, params.id, "write");
        if (parent.kind !== "folder") throw new AppError("files_path_invalid", "a file is uploaded into a folder");
        const name = checkName(query.name);
        const existing = await childByName(db, parent.id, name);
        if (existing?.kind === "folder") throw new AppError("files_name_taken", `a folder is named "${name}"`);
        const body = req.body as Readable | undefined;
        if (!body || typeof body.pipe !== "function") throw new AppError("validation", "send the file as the body");
        const declared = req.headers["content-length"];
        try {
          const { node } = await uploadFile(k, {
            actorId: actor.id,
            space: parent.space,
            parent,
            name,
            existing,
            body,
            declared: declared === undefined ? null : Number(declared),
            mimeType: mimeOf(req.headers["content-type"]),
            mtime: null,
            checksum: null,
          });
          return present(actor, childRecord(parent, node));
        } catch (e) {
          // Unread request bytes would otherwise stall the connection.
          abandonBody(req, reply);
          throw e;
        }
      },
    });
  });

  route(app, {
    method: "GET",
    url: "/api/files/nodes/:id/content",
    summary: "Download a file (always as an attachment)",
    tags: ["files"],
    auth: "user",
    params: idParams,
    response: rawResponse("application/octet-stream", "The file's bytes"),
    handler: async ({ actor, params, reply }) => {
      const rec = await load(actor, params.id, "read");
      if (rec.kind !== "file" || !rec.content_id) throw new AppError("not_found", "not a file");
      const stream = await k.blobs.get(contentKey(rec.content_id));
      if (!stream) throw new AppError("internal", `content of ${rec.id} is missing`);
      return reply
        .header("content-type", "application/octet-stream")
        .header("content-length", String(rec.size))
        .header("etag", `"${rec.etag}"`)
        .header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(rec.name)}`)
        .header("content-security-policy", "default-src 'none'; sandbox")
        .send(stream);
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/files/nodes/:id",
    summary: "Move a file or folder to the trash",
    tags: ["files"],
    auth: "user",
    params: idParams,
    response: noContent,
    handler: async ({ actor, params }) => {
      const rec = await load(actor, params.id, "delete");
      await db.transaction().execute((tx) => trashNode(tx, actor.id, rec));
    },
  });

  route(app, {
    method: "GET",
    url: "/api/files/trash",
    summary: "What is in the trash of « Mes fichiers »",
    tags: ["files"],
    auth: "user",
    response: trashSchema,
    handler: async ({ actor }) => {
      const space = await personalSpace(k, actor);
      const rows = await db
        .selectFrom("files_nodes")
        .selectAll()
        .where("space_id", "=", space.id)
        .where("deleted_at", "is not", null)
        .orderBy("deleted_at", "desc")
        .limit(500)
        .execute();
      return {
        items: await Promise.all(
          rows.map((n) => present(actor, { ...normalise(n), space, trashed: true, share: null })),
        ),
      };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/files/nodes/:id/restore",
    summary: "Restore a file or folder from the trash (renamed when its name was taken meanwhile)",
    tags: ["files"],
    auth: "user",
    params: idParams,
    response: nodeSchema,
    handler: async ({ actor, params }) => {
      const rec = await load(actor, params.id, "restore");
      const node = await db.transaction().execute((tx) => restoreNode(tx, actor.id, rec));
      return present(actor, { ...rec, ...node, trashed: false });
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/files/trash/:id",
    summary: "Delete a trashed file or folder for good",
    tags: ["files"],
    auth: "user",
    params: idParams,
    response: noContent,
    handler: async ({ actor, params }) => {
      const rec = await load(actor, params.id, "purge");
      const gone = await db.transaction().execute((tx) => purgeNode(k, tx, actor.id, rec));
      await discardBlobs(k, gone);
    },
  });
}
