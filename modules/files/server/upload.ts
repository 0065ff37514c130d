import type { Readable } from "node:stream";
import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError, type Kernel } from "@ensemble/kernel";
import { commitFile } from "./commands.ts";
import { discardBlobs, storeContent } from "./contents.ts";
import { quotaOf } from "./spaces.ts";
import { filesDb, type FilesSpacesTable } from "./tables.ts";
import type { Node } from "./tree.ts";

const MIME = /^[a-z]+\/[a-z0-9.+-]{1,100}$/;

export const mimeOf = (header: string | undefined): string => {
  const t = (header ?? "").split(";")[0]!.trim().toLowerCase();
  return MIME.test(t) ? t : "application/octet-stream";
};

export interface Upload {
  actorId: string;
  space: FilesSpacesTable;
  parent: Node;
  name: string;
  existing: Node | undefined;
  body: Readable;
  /** Content-Length when the client sent one: refused at once when it cannot fit. */
  declared: number | null;
  mimeType: string;
  mtime: string | null;
  checksum: { algo: "sha1" | "md5" | "sha256"; value: string } | null;
}

/**
 * Bytes a file may take in a space: the quota less what is used, plus the size of the file it
 * replaces (its bytes become a version, charged the same), less what other pending uploads reserve.
 */
export async function roomIn(
  k: Kernel,
  space: FilesSpacesTable,
  existing: Node | undefined,
  reserved = 0,
): Promise<number> {
  return (await quotaOf(k, space)) - Number(space.used_bytes) + (existing?.size ?? 0) - reserved;
}

/** A refusal before the body was read: drain it so the client sees the answer, and do not reuse the connection. */
export function abandonBody(req: FastifyRequest, reply: FastifyReply): void {
  if (req.raw.readableEnded) return;
  req.raw.resume();
  void reply.header("connection", "close");
}

/**
 * One path for every upload (web API, WebDAV PUT): the quota is checked before (declared size),
 * during (the stream stops past what is left) and at commit (in the transaction); the bytes go to a
 * new blob written to a temporary file and renamed when complete, then one transaction makes them
 * the file's content. A cut upload, a checksum mismatch or a refusal leaves the previous content
 * and nothing half-written.
 */
export async function uploadFile(k: Kernel, u: Upload): Promise<{ node: Node; created: boolean }> {
  const left = await roomIn(k, u.space, u.existing);
  if (u.declared !== null && u.declared > left)
    throw new AppError("files_quota_exceeded", "this file does not fit in the space's quota");
  const content = await storeContent(k, u.body, Math.max(0, left));
  if (u.checksum && content[u.checksum.algo] !== u.checksum.value) {
    await discardBlobs(k, [content.id]);
    throw new AppError(
      "files_checksum_mismatch",
      `the ${u.checksum.algo.toUpperCase()} of what arrived differs from the one announced`,
    );
  }
  let result;
  try {
    result = await filesDb(k)
      .transaction()
      .execute((tx) =>
        commitFile(k, tx, {
          actorId: u.actorId,
          parent: u.parent,
          name: u.name,
          existing: u.existing,
          content,
          mtime: u.mtime ?? new Date().toISOString(),
          mimeType: u.mimeType,
        }),
      );
  } catch (e) {
    await discardBlobs(k, [content.id]);
    throw e;
  }
  await discardBlobs(k, result.discard);
  return { node: result.node, created: !u.existing };
}
