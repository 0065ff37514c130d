import { Readable } from "node:stream";
import { AppError, type Kernel } from "@ensemble/kernel";
import { uuidv7 } from "@ensemble/protocol";
import { contentKey, discardBlobs, storeContent } from "../contents.ts";
import { quotaOf } from "../spaces.ts";
import { header, namesInTree, type Dav } from "../dav/context.ts";
import { writeAt } from "../dav/write-methods.ts";
import { escapeXml, MULTISTATUS_CLOSE, MULTISTATUS_OPEN, statusLine } from "../dav/xml.ts";
import { chunkDb, type ChunkDb, type FilesUploadsTable } from "./chunk-tables.ts";

export const CHUNK_METHODS = ["MKCOL", "PUT", "MOVE", "DELETE", "PROPFIND"] as const;

/** Transfer and chunk names: what clients use (numbers, zero-padded offsets, UUIDs), nothing else. */
const NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
/** An upload nobody touched for a day is discarded (the client starts again). */
const IDLE_MS = 24 * 3600 * 1000;

/**
 * Nextcloud's chunked upload (v1 "NG" and v2): MKCOL `/uploads/{user}/{transfer}`, PUT each chunk,
 * MOVE `{transfer}/.file` to the file's URL in `/files/{user}/`. Chunks are blobs of their own, not
 * contents; their bytes count against the quota while pending (so chunks never assembled cannot
 * hold more than the quota). The MOVE streams them, in name order, through the same write as a PUT:
 * quota, checksum, version, one transaction.
 */
export async function chunkedUpload(d: Dav): Promise<void> {
  const [transfer, chunk, ...more] = d.names;
  const valid = (n: string | undefined) => n === undefined || NAME.test(n);
  if (more.length || !valid(transfer) || (!valid(chunk) && !(chunk === ".file" && d.req.method === "MOVE")))
    throw new AppError("files_path_invalid", "an upload is /uploads/{user}/{transfer}/{chunk}");
  const db = chunkDb(d.k);
  const method = d.req.method as (typeof CHUNK_METHODS)[number];
  if (method === "PROPFIND") return list(d, db, transfer);
  if (!transfer) throw new AppError("conflict", "name a transfer folder", { status: 405 });
  if (method === "MKCOL") {
    if (chunk) throw new AppError("conflict", "a transfer holds chunks, not folders", { status: 405 });
    return begin(d, db, transfer);
  }
  const upload = await db
    .selectFrom("files_uploads")
    .selectAll()
    .where("user_id", "=", d.actor.id)
    .where("transfer", "=", transfer)
    .executeTakeFirst();
  if (!upload) throw new AppError("not_found", "no such upload");
  if (method === "DELETE") {
    if (chunk) throw new AppError("conflict", "a transfer is deleted whole", { status: 405 });
    await discard(d.k, db, upload);
    void d.reply.code(204).send();
    return;
  }
  if (method === "MOVE") {
    if (chunk !== ".file") throw new AppError("forbidden", "only the assembled .file moves");
    return assemble(d, db, upload);
  }
  if (!chunk) throw new AppError("conflict", "PUT a chunk inside the transfer folder", { status: 405 });
  return putChunk(d, db, upload, chunk);
}

/** Bytes of the space's quota left, the chunks pending in every upload of the user counted as used. */
async function left(d: Dav, db: ChunkDb, replacing = 0): Promise<number> {
  const pending = await db
    .selectFrom("files_upload_chunks")
    .innerJoin("files_uploads", "files_uploads.id", "files_upload_chunks.upload_id")
    .select((eb) => eb.fn.sum<number | string | null>("files_upload_chunks.size").as("bytes"))
    .where("files_uploads.user_id", "=", d.actor.id)
    .executeTakeFirst();
  const quota = await quotaOf(d.k, d.space);
  return quota - Number(d.space.used_bytes) - Number(pending?.bytes ?? 0) + replacing;
}

/** OC-Total-Length announces the whole file: refused at once when it cannot fit. */
async function checkAnnounced(d: Dav, db: ChunkDb): Promise<void> {
  const total = header(d, "oc-total-length");
  if (total === undefined) return;
  if (!/^\d{1,16}$/.test(total)) throw new AppError("validation", "OC-Total-Length is a number of bytes");
  if (Number(total) > (await left(d, db))) throw new AppError("files_quota_exceeded", "this file does not fit");
}

async function begin(d: Dav, db: ChunkDb, transfer: string): Promise<void> {
  const stale = await db
    .selectFrom("files_uploads")
    .selectAll()
    .where("user_id", "=", d.actor.id)
    .where("updated_at", "<", new Date(Date.now() - IDLE_MS).toISOString())
    .execute();
  for (const u of stale) await discard(d.k, db, u);
  await checkAnnounced(d, db);
  const now = new Date().toISOString();
  const made = await db
    .insertInto("files_uploads")
    .values({ id: uuidv7(), user_id: d.actor.id, transfer, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(["user_id", "transfer"]).doNothing())
    .executeTakeFirst();
  if (Number(made.numInsertedOrUpdatedRows ?? 0) === 0)
    throw new AppError("files_name_taken", "this transfer exists", { status: 405 });
  void d.reply.code(201).header("content-length", "0").send();
}

async function putChunk(d: Dav, db: ChunkDb, upload: FilesUploadsTable, name: string): Promise<void> {
  await checkAnnounced(d, db);
  const previous = await db
    .selectFrom("files_upload_chunks")
    .selectAll()
    .where("upload_id", "=", upload.id)
    .where("name", "=", name)
    .executeTakeFirst();
  const room = await left(d, db, Number(previous?.size ?? 0));
  const declared = header(d, "content-length");
  if (declared !== undefined && Number(declared) > room)
    throw new AppError("files_quota_exceeded", "this chunk does not fit in the space's quota");
  const stored = await storeContent(d.k, d.req.raw as Readable, Math.max(0, room));
  const now = new Date().toISOString();
  try {
    await db.transaction().execute(async (tx) => {
      await tx.deleteFrom("files_upload_chunks").where("upload_id", "=", upload.id).where("name", "=", name).execute();
      await tx
        .insertInto("files_upload_chunks")
        .values({ upload_id: upload.id, name, blob_id: stored.id, size: stored.size, created_at: now })
        .execute();
      await tx.updateTable("files_uploads").set({ updated_at: now }).where("id", "=", upload.id).execute();
    });
  } catch (e) {
    await discardBlobs(d.k, [stored.id]);
    throw e;
  }
  if (previous) await discardBlobs(d.k, [previous.blob_id]);
  void d.reply.code(previous ? 204 : 201).send();
}

/** Chunks in assembly order: by number when every name is one (v2: 1…10000), else by name (v1: offsets). */
async function chunksOf(db: ChunkDb, uploadId: string) {
  const rows = await db.selectFrom("files_upload_chunks").selectAll().where("upload_id", "=", uploadId).execute();
  const numeric = rows.every((r) => /^\d+$/.test(r.name));
  return rows.sort((a, b) =>
    numeric ? Number(a.name) - Number(b.name) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
}

async function assemble(d: Dav, db: ChunkDb, upload: FilesUploadsTable): Promise<void> {
  const destination = header(d, "destination");
  if (!destination) throw new AppError("validation", "a Destination header is required");
  const files: Dav = { ...d, base: d.base.replace("/remote.php/dav/uploads/", "/remote.php/dav/files/") };
  const names = namesInTree(files, destination);
  if (!names?.length)
    throw new AppError("files_path_invalid", "the destination is outside your files", { status: 403 });
  const chunks = await chunksOf(db, upload.id);
  const total = chunks.reduce((n, c) => n + Number(c.size), 0);
  const announced = header(d, "oc-total-length");
  if (announced !== undefined && Number(announced) !== total)
    throw new AppError("validation", `the chunks hold ${total} bytes, OC-Total-Length says ${announced}`);
  const k = d.k;
  async function* bytes(): AsyncGenerator<Buffer> {
    for (const c of chunks) {
      const s = await k.blobs.get(contentKey(c.blob_id));
      if (!s) throw new Error(`chunk ${c.name} of upload ${upload.id} is missing`);
      for await (const b of s as AsyncIterable<Buffer>) yield b;
    }
  }
  await writeAt({ ...files, names, path: names.join("/") }, Readable.from(bytes(), { objectMode: false }), total);
  await discard(k, db, upload);
}

async function discard(k: Kernel, db: ChunkDb, upload: FilesUploadsTable): Promise<void> {
  const chunks = await db
    .selectFrom("files_upload_chunks")
    .select("blob_id")
    .where("upload_id", "=", upload.id)
    .execute();
  await db.deleteFrom("files_uploads").where("id", "=", upload.id).execute();
  await discardBlobs(
    k,
    chunks.map((c) => c.blob_id),
  );
}

/** PROPFIND: the transfers, or a transfer's chunks with their sizes (what a client resuming reads). */
async function list(d: Dav, db: ChunkDb, transfer: string | undefined): Promise<void> {
  const depth = header(d, "depth") ?? "1";
  const entry = (href: string, size: number | null) =>
    `<d:response><d:href>${escapeXml(href)}</d:href><d:propstat><d:prop>` +
    (size === null
      ? "<d:resourcetype><d:collection/></d:resourcetype>"
      : `<d:resourcetype/><d:getcontentlength>${size}</d:getcontentlength>`) +
    `</d:prop><d:status>${statusLine(200)}</d:status></d:propstat></d:response>`;
  let xml = MULTISTATUS_OPEN;
  if (!transfer) {
    xml += entry(`${d.base}/`, null);
    if (depth !== "0") {
      const uploads = await db
        .selectFrom("files_uploads")
        .select("transfer")
        .where("user_id", "=", d.actor.id)
        .execute();
      for (const u of uploads) xml += entry(`${d.base}/${u.transfer}/`, null);
    }
  } else {
    const upload = await db
      .selectFrom("files_uploads")
      .select("id")
      .where("user_id", "=", d.actor.id)
      .where("transfer", "=", transfer)
      .executeTakeFirst();
    if (!upload) throw new AppError("not_found", "no such upload");
    xml += entry(`${d.base}/${transfer}/`, null);
    if (depth !== "0")
      for (const c of await chunksOf(db, upload.id)) xml += entry(`${d.base}/${transfer}/${c.name}`, Number(c.size));
  }
  xml += MULTISTATUS_CLOSE;
  void d.reply.code(207).header("content-type", "application/xml; charset=utf-8").send(xml);
}
