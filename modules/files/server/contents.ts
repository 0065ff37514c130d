import { createHash, type Hash } from "node:crypto";
import { Transform, type Readable } from "node:stream";
import { AppError, type Kernel } from "@ensemble/kernel";
import { uuidv7 } from "@ensemble/protocol";
import type { FilesDb } from "./tables.ts";

export interface StoredContent {
  id: string;
  sha256: string;
  sha1: string;
  md5: string;
  size: number;
}

/** Blob key of a content: spread over 256 folders by the id's last hex digits. */
export const contentKey = (id: string): string => `partageons/${id.slice(-2)}/${id}`;

/** Hashes and counts what passes; fails with 507 past `limit` bytes (the quota left). */
class Digest extends Transform {
  readonly hashes: { sha256: Hash; sha1: Hash; md5: Hash } = {
    sha256: createHash("sha256"),
    sha1: createHash("sha1"),
    md5: createHash("md5"),
  };
  bytes = 0;
  private readonly limit: number;
  constructor(limit: number) {
    super();
    this.limit = limit;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null, c?: Buffer) => void): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      cb(new AppError("files_quota_exceeded", "this upload does not fit in the space's quota"));
      return;
    }
    for (const h of Object.values(this.hashes)) h.update(chunk);
    cb(null, chunk);
  }
}

/**
 * Streams a body into a new blob (the store writes a temporary file and renames it when complete,
 * so a cut upload leaves nothing), hashing it on the way. No row yet: the caller inserts the content
 * in the transaction that makes it visible, or discards the blob when that transaction fails.
 */
export async function storeContent(k: Kernel, body: Readable, limit: number): Promise<StoredContent> {
  const id = uuidv7();
  const digest = new Digest(limit);
  body.on("error", (e) => digest.destroy(e));
  // The failure reaches the caller through put()'s rejection; this keeps `pipe`'s own error
  // forwarding from re-emitting it on a stream nobody listens to any more (an uncaught error).
  digest.on("error", () => undefined);
  await k.blobs.put(contentKey(id), body.pipe(digest));
  const stored = await k.blobs.size(contentKey(id));
  if (stored !== digest.bytes) {
    await k.blobs.delete(contentKey(id));
    throw new Error(`blob ${id}: ${stored} bytes stored, ${digest.bytes} received`);
  }
  return {
    id,
    size: digest.bytes,
    sha256: digest.hashes.sha256.digest("hex"),
    sha1: digest.hashes.sha1.digest("hex"),
    md5: digest.hashes.md5.digest("hex"),
  };
}

export async function insertContent(tx: FilesDb, c: StoredContent): Promise<void> {
  await tx
    .insertInto("files_contents")
    .values({ ...c, refs: 1, created_at: new Date().toISOString() })
    .execute();
}

export async function addRef(tx: FilesDb, contentId: string): Promise<void> {
  await tx
    .updateTable("files_contents")
    .set((eb) => ({ refs: eb("refs", "+", 1) }))
    .where("id", "=", contentId)
    .execute();
}

/**
 * Drops one reference; a content nobody references any more loses its row in the same
 * transaction, and its blob is deleted after commit (`discardBlobs`). Answers the ids to discard.
 */
export async function releaseRefs(tx: FilesDb, contentIds: readonly string[]): Promise<string[]> {
  const gone: string[] = [];
  for (const id of contentIds) {
    const row = await tx
      .updateTable("files_contents")
      .set((eb) => ({ refs: eb("refs", "-", 1) }))
      .where("id", "=", id)
      .returning(["refs"])
      .executeTakeFirst();
    if (row && Number(row.refs) <= 0) {
      await tx.deleteFrom("files_contents").where("id", "=", id).execute();
      gone.push(id);
    }
  }
  return gone;
}

export async function discardBlobs(k: Kernel, ids: readonly string[]): Promise<void> {
  for (const id of ids) await k.blobs.delete(contentKey(id));
}
