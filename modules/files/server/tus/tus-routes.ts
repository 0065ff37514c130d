import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { AppError, rawResponse, route, type Kernel, type UserActor } from "@ensemble/kernel";
import { uuidv7 } from "@ensemble/protocol";
import { checkName } from "../names.ts";
import { FilesNodeResource, FilesUploadResource, type NodeRecord } from "../resources.ts";
import { filesDb } from "../tables.ts";
import { childByName, loadNodeRecord } from "../tree.ts";
import { abandonBody, mimeOf, roomIn } from "../upload.ts";
import { discardUpload, finishUpload } from "./finish.ts";
import { sendTus, tusOf, UPLOAD_TTL_MS } from "./tus-server.ts";
import { uploadDb, type FilesTusUploadsTable } from "./upload-tables.ts";

const tags = ["files"];
const folderParams = z.object({ id: z.uuid() });
const uploadParams = z.object({ uploadId: z.uuid() });
/** The header a finished upload answers with: the id of the file it became. */
const FILE_ID_HEADER = "ensemble-file-id";

/** tus `Upload-Metadata`: comma-separated `key base64value` pairs (a key alone has no value). */
export function parseMetadata(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of (header ?? "").split(",")) {
    const [key, value] = pair.trim().split(" ");
    if (!key) continue;
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(key) || (value !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(value)))
      throw new AppError("validation", "Upload-Metadata is `key base64`, comma-separated");
    out.set(key, Buffer.from(value ?? "", "base64").toString("utf8"));
  }
  return out;
}

function uploadLength(req: FastifyRequest): number {
  const h = req.headers["upload-length"];
  if (typeof h !== "string" || !/^\d{1,15}$/.test(h))
    throw new AppError("validation", "Upload-Length is required (a deferred length is not supported)");
  return Number(h);
}

/**
 * tus 1.0 resumable uploads (creation, core, termination, expiration) into Partageons, each step a
 * route of the kernel's pipeline (rate limit, session or token, CSRF for a session, policy) before
 * the tus server sees it: the folder's `write` is asked at creation and at every PATCH, the quota
 * (with what other pending uploads of the space reserve) at creation on Upload-Length and at every
 * PATCH, all before a byte is accepted. A complete upload becomes a file in `finishUpload`.
 */
export function tusRoutes(app: FastifyInstance, k: Kernel): void {
  const db = uploadDb(k);
  const folderFor = async (actor: UserActor, id: string): Promise<NodeRecord> => {
    const folder = await k.policy.authorize(
      actor,
      FilesNodeResource,
      "write",
      await loadNodeRecord(filesDb(k), actor, id),
    );
    if (folder.kind !== "folder") throw new AppError("files_path_invalid", "a file is uploaded into a folder");
    return folder;
  };
  /** The bytes the space can still take for this file, other pending uploads' lengths held back. */
  const room = async (folder: NodeRecord, name: string, self: string | null): Promise<number> => {
    const existing = await childByName(filesDb(k), folder.id, name);
    if (existing?.kind === "folder") throw new AppError("files_name_taken", `a folder is named "${name}"`);
    let q = db
      .selectFrom("files_tus_uploads")
      .select((eb) => eb.fn.sum<number | string | null>("length").as("bytes"))
      .where("space_id", "=", folder.space_id)
      .where("node_id", "is", null);
    if (self) q = q.where("id", "!=", self);
    const pending = await q.executeTakeFirst();
    return roomIn(k, folder.space, existing, Number(pending?.bytes ?? 0));
  };
  const loadUpload = async (actor: UserActor, id: string, action: "read" | "write") =>
    k.policy.authorize(
      actor,
      FilesUploadResource,
      action,
      await db.selectFrom("files_tus_uploads").selectAll().where("id", "=", id).executeTakeFirst(),
    );
  /** Answers the tus server's reply; when the bytes are all in, the file it became too. */
  const answer = async (actor: UserActor, row: FilesTusUploadsTable, res: Response, reply: FastifyReply) => {
    const offset = res.headers.get("upload-offset");
    const complete = res.ok && (offset === null ? Number(row.length) === 0 : Number(offset) === Number(row.length));
    if (!complete) return sendTus(reply, res);
    const nodeId = await finishUpload(k, actor, row);
    return sendTus(reply, res, { [FILE_ID_HEADER]: nodeId });
  };
  /** Refusals come before the tus server reads anything: the body is drained, never stored. */
  const gate = async <T>(req: FastifyRequest, reply: FastifyReply, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      abandonBody(req, reply);
      throw e;
    }
  };

  void app.register(async (scope) => {
    // tus bodies are `application/offset+octet-stream`, streamed to the tus store: left unread here.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, payload, done) => done(null, payload));

    route(scope, {
      method: "POST",
      url: "/api/files/nodes/:id/uploads",
      summary:
        "Start a resumable upload into a folder (tus 1.0 creation: Upload-Length, Upload-Metadata filename, filetype, sha256)",
      tags,
      auth: "user",
      params: folderParams,
      response: rawResponse(null, "tus: the upload's URL in Location", 201),
      handler: async ({ actor, params, req, reply }) => {
        const row = await gate(req, reply, async (): Promise<FilesTusUploadsTable> => {
          const folder = await folderFor(actor, params.id);
          const meta = parseMetadata(req.headers["upload-metadata"] as string | undefined);
          const name = checkName(meta.get("filename") ?? "");
          const sha256 = meta.get("sha256")?.toLowerCase() ?? null;
          if (sha256 !== null && !/^[0-9a-f]{64}$/.test(sha256))
            throw new AppError("validation", "the sha256 metadata is 64 hexadecimal digits");
          const length = uploadLength(req);
          if (length > (await room(folder, name, null)))
            throw new AppError("files_quota_exceeded", "this file does not fit in the space's quota");
          const now = Date.now();
          const r: FilesTusUploadsTable = {
            id: uuidv7(),
            user_id: actor.id,
            space_id: folder.space_id,
            folder_id: folder.id,
            name,
            length,
            sha256,
            mime_type: mimeOf(meta.get("filetype")),
            node_id: null,
            finishing_at: null,
            created_at: new Date(now).toISOString(),
            expires_at: new Date(now + UPLOAD_TTL_MS).toISOString(),
          };
          await db.insertInto("files_tus_uploads").values(r).execute();
          return r;
        });
        const res = await tusOf(k).handle(req, row.id);
        if (res.status !== 201) {
          await discardUpload(k, row.id);
          return sendTus(reply, res);
        }
        return answer(actor, row, res, reply);
      },
    });

    route(scope, {
      method: "PATCH",
      url: "/api/files/uploads/:uploadId",
      summary: "Send bytes of a resumable upload at its offset (tus 1.0 core); the last ones make it a file",
      tags,
      auth: "user",
      params: uploadParams,
      response: rawResponse(null, "tus: the new offset in Upload-Offset", 204),
      handler: async ({ actor, params, req, reply }) => {
        const row = await gate(req, reply, async () => {
          const r = await loadUpload(actor, params.uploadId, "write");
          if (r.node_id) throw new AppError("not_found", "this upload is finished");
          // Asked again: a share may have been revoked, the quota lowered or filled meanwhile.
          const folder = await folderFor(actor, r.folder_id);
          if (Number(r.length) > (await room(folder, r.name, r.id)))
            throw new AppError("files_quota_exceeded", "this file no longer fits in the space's quota");
          return r;
        });
        return answer(actor, row, await tusOf(k).handle(req), reply);
      },
    });

    route(scope, {
      method: "HEAD",
      url: "/api/files/uploads/:uploadId",
      summary: "Where a resumable upload stands (tus 1.0: Upload-Offset); finishes one whose bytes are all in",
      tags,
      auth: "user",
      params: uploadParams,
      response: rawResponse(null, "tus: Upload-Offset and Upload-Length"),
      handler: async ({ actor, params, req, reply }) => {
        const row = await loadUpload(actor, params.uploadId, "read");
        if (row.node_id)
          return reply
            .code(200)
            .headers({
              "tus-resumable": "1.0.0",
              "upload-offset": String(row.length),
              "upload-length": String(row.length),
              "cache-control": "no-store",
              [FILE_ID_HEADER]: row.node_id,
            })
            .send();
        // A server stopped between the last byte and the file: the client's HEAD finishes it.
        return answer(actor, row, await tusOf(k).handle(req), reply);
      },
    });

    route(scope, {
      method: "DELETE",
      url: "/api/files/uploads/:uploadId",
      summary: "Cancel a resumable upload (tus 1.0 termination): its bytes are discarded",
      tags,
      auth: "user",
      params: uploadParams,
      response: rawResponse(null, "tus: terminated", 204),
      handler: async ({ actor, params, reply }) => {
        const row = await loadUpload(actor, params.uploadId, "write");
        if (row.node_id) throw new AppError("not_found", "this upload is finished");
        await discardUpload(k, row.id);
        return reply.code(204).header("tus-resumable", "1.0.0").send();
      },
    });
  });
}
