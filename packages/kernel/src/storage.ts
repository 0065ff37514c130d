import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/**
 * Where file contents live. Local disk under DATA_DIR/files by default; an
 * S3 implementation of the same interface comes with the files service.
 */
export interface BlobStore {
  put(key: string, body: Readable | Buffer): Promise<void>;
  /** The content, or the inclusive byte range `start..end` of it (a seek, not a read of what precedes it). */
  get(key: string, range?: { start: number; end: number }): Promise<Readable | null>;
  delete(key: string): Promise<void>;
  size(key: string): Promise<number | null>;
}

const KEY_RE = /^[a-z0-9][a-z0-9/_.-]{0,255}$/;

export class DiskBlobStore implements BlobStore {
  readonly root: string;
  constructor(root: string) {
    this.root = root;
  }

  private file(key: string): string {
    if (!KEY_RE.test(key) || key.includes("..")) throw new Error(`invalid blob key ${key}`);
    return path.join(this.root, key);
  }

  async put(key: string, body: Readable | Buffer): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    if (Buffer.isBuffer(body)) {
      await writeFile(tmp, body);
      await rename(tmp, file);
      return;
    }
    try {
      await pipeline(body, createWriteStream(tmp));
    } catch (e) {
      // A stream cut short (size limit, client gone) leaves no partial file behind.
      await rm(tmp, { force: true });
      throw e;
    }
    await rename(tmp, file);
  }

  async get(key: string, range?: { start: number; end: number }): Promise<Readable | null> {
    const file = this.file(key);
    try {
      await stat(file);
    } catch {
      return null;
    }
    return createReadStream(file, range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.file(key))).size;
    } catch {
      return null;
    }
  }
}
