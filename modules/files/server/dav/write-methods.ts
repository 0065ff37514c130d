import type { Readable } from "node:stream";
import { AppError } from "@ensemble/kernel";
import { copyNode, createFolder, moveNode, trashNode } from "../commands.ts";
import { mimeOf, uploadFile } from "../upload.ts";
import { resolveFrom, type Node } from "../tree.ts";
import { dropLocks } from "./locks.ts";
import {
  authorizeDav,
  checkWrite,
  clientMtime,
  hasBody,
  header,
  namesInTree,
  spacePath,
  target,
  type Dav,
} from "./context.ts";

/** The checksum a Nextcloud client announces (`OC-Checksum: SHA1:…`), checked once the bytes are in. */
function announcedChecksum(d: Dav): { algo: "sha1" | "md5" | "sha256"; value: string } | null {
  const h = header(d, "oc-checksum");
  const m = h ? /^(SHA1|MD5|SHA256):([0-9a-fA-F]+)$/i.exec(h.trim()) : null;
  return m ? { algo: m[1]!.toLowerCase() as "sha1" | "md5" | "sha256", value: m[2]!.toLowerCase() } : null;
}

/**
 * PUT, streamed: the bytes go to a new blob (a temporary file renamed when complete), then one
 * transaction makes them the file's content. A cut upload, a checksum mismatch or a quota overflow
 * leaves the previous content in place and nothing half-written anywhere.
 */
export async function put(d: Dav): Promise<void> {
  if (header(d, "content-range")) throw new AppError("validation", "partial PUT (Content-Range) is not supported");
  const declared = header(d, "content-length") ?? header(d, "oc-total-length");
  await writeAt(d, d.req.raw as Readable, declared === undefined ? null : Number(declared));
}

/**
 * Writes a file at the request's path from a body (a PUT's, or the chunks of a chunked upload
 * assembled), after the same preconditions: locks, If, If-Match, If-None-Match.
 */
export async function writeAt(d: Dav, body: Readable, declared: number | null): Promise<void> {
  const { node, parent } = await target(d);
  if (node?.kind === "folder") throw new AppError("conflict", "a folder is here", { status: 405 });
  if (!parent) throw new AppError("files_parent_missing", "the folder to put this file in does not exist");
  await authorizeDav(d, node ?? parent, "write");
  await checkWrite(d, [{ path: d.path, membership: !node }], node);
  if (header(d, "if-none-match") === "*" && node) throw new AppError("files_precondition_failed", "the file exists");
  const ifMatch = header(d, "if-match");
  if (ifMatch && (!node || !ifMatch.split(",").some((t) => t.trim() === "*" || t.trim() === `"${node.etag}"`)))
    throw new AppError("files_precondition_failed", "If-Match does not hold");
  const mtime = clientMtime(d);
  const result = await uploadFile(d.k, {
    actorId: d.actor.id,
    space: d.space,
    parent,
    name: d.names.at(-1)!,
    existing: node,
    body,
    declared,
    mimeType: mimeOf(header(d, "content-type")),
    mtime,
    checksum: announcedChecksum(d),
  });
  const r = d.reply
    .code(node ? 204 : 201)
    .header("etag", `"${result.node.etag}"`)
    .header("oc-etag", `"${result.node.etag}"`)
    .header("oc-fileid", result.node.id);
  if (mtime) r.header("x-oc-mtime", "accepted");
  void r.send();
}

export async function mkcol(d: Dav): Promise<void> {
  if (hasBody(d.req)) throw new AppError("unsupported_media_type", "MKCOL takes no body");
  const { node, parent } = await target(d);
  if (node) throw new AppError("files_name_taken", "something is already here", { status: 405 });
  if (!parent) throw new AppError("files_parent_missing", "the folder to create this in does not exist");
  await authorizeDav(d, parent, "write");
  await checkWrite(d, [{ path: d.path, membership: true }], undefined);
  await d.db.transaction().execute((tx) => createFolder(tx, d.actor.id, parent, d.names.at(-1)!));
  void d.reply.code(201).header("content-length", "0").send();
}

/** DELETE moves to the trash (restorable from the web), like Nextcloud. */
export async function remove(d: Dav): Promise<void> {
  const { node } = await target(d);
  if (!node) throw new AppError("not_found", "no such file or folder");
  if (node.parent_id === null) throw new AppError("forbidden", "the root of your files cannot be deleted");
  await authorizeDav(d, node, "delete");
  await checkWrite(d, [{ path: d.path, membership: true, subtree: true }], node);
  await d.db.transaction().execute(async (tx) => {
    await trashNode(tx, d.actor.id, node);
    await dropLocks(tx, d.space.id, d.path);
  });
  void d.reply.code(204).send();
}

/** COPY and MOVE within the requester's own tree; a Destination anywhere else is refused. */
export async function copyMove(d: Dav, move: boolean): Promise<void> {
  const destHeader = header(d, "destination");
  if (!destHeader) throw new AppError("validation", "a Destination header is required");
  const destNames = namesInTree(d, destHeader);
  if (!destNames) throw new AppError("files_path_invalid", "the destination is outside your files", { status: 403 });
  const overwrite = (header(d, "overwrite") ?? "T").toUpperCase() !== "F";
  const depth = (header(d, "depth") ?? "infinity").toLowerCase();
  if (depth !== "0" && depth !== "infinity") throw new AppError("validation", "Depth is 0 or infinity");
  if (move && depth !== "infinity") throw new AppError("validation", "a move takes the whole folder");
  const { node } = await target(d);
  if (!node) throw new AppError("not_found", "no such file or folder");
  if (node.parent_id === null || destNames.length === 0)
    throw new AppError("forbidden", "the root of your files cannot be copied or moved");
  const destPath = spacePath(d, destNames);
  if (destPath === d.path) throw new AppError("forbidden", "the source and the destination are the same");
  if (destPath.startsWith(`${d.path}/`) && node.kind === "folder")
    throw new AppError("files_path_invalid", "a folder cannot go inside itself", { status: 403 });
  const dest = await resolveFrom(d.db, d.root, destNames);
  if (!dest.parent) throw new AppError("files_parent_missing", "the destination's folder does not exist");
  await authorizeDav(d, node, move ? "delete" : "read");
  await authorizeDav(d, dest.parent, "write");
  if (dest.node) await authorizeDav(d, dest.node, "delete");
  if (dest.node && !overwrite) throw new AppError("files_precondition_failed", "the destination exists (Overwrite: F)");
  const writes = [{ path: destPath, membership: true, subtree: true }];
  if (move) writes.push({ path: d.path, membership: true, subtree: true });
  await checkWrite(d, writes, node);
  const destParent: Node = dest.parent;
  await d.db.transaction().execute(async (tx) => {
    if (dest.node) {
      await trashNode(tx, d.actor.id, dest.node);
      await dropLocks(tx, d.space.id, destPath);
    }
    const name = destNames.at(-1)!;
    if (move) {
      await moveNode(tx, d.actor.id, node, destParent, name);
      await dropLocks(tx, d.space.id, d.path);
    } else await copyNode(d.k, tx, d.actor.id, node, destParent, name, depth === "infinity");
  });
  void d.reply.code(dest.node ? 204 : 201).send();
}
