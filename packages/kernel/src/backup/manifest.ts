import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { z } from "zod";

/** Bump when the archive layout changes; restore refuses formats it does not know. */
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_NAME = "manifest.json";
/** Where the SQLite snapshot sits inside the archive. */
export const DATABASE_ENTRY = "database/ensemble.db";
/** The file store (DATA_DIR/files) sits under this folder inside the archive. */
export const FILES_DIR = "files";
export const SQLITE_FILE = "ensemble.db";

const entrySchema = z.object({
  path: z.string().min(1),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const manifestSchema = z.object({
  format: z.literal("ensemble-backup"),
  formatVersion: z.number().int(),
  ensembleVersion: z.string(),
  createdAt: z.string(),
  database: z.object({ kind: z.enum(["sqlite", "postgres"]), included: z.boolean() }),
  fileCount: z.number().int().min(0),
  totalBytes: z.number().int().min(0),
  files: z.array(entrySchema),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestEntry = z.infer<typeof entrySchema>;

/** A failure the operator can act on; the CLI prints the message as is. */
export class BackupError extends Error {
  override name = "BackupError";
}

export async function sha256File(file: string): Promise<{ sha256: string; size: number }> {
  const h = createHash("sha256");
  let size = 0;
  await pipeline(createReadStream(file), async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      size += chunk.length;
      h.update(chunk);
    }
  });
  return { sha256: h.digest("hex"), size };
}

/**
 * Regular files under `root`, as POSIX paths relative to it, sorted. Symbolic
 * links and other special files are never part of the file store, so they are
 * left out rather than followed.
 */
export async function listFiles(root: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  return entries
    .filter((d) => d.isFile())
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)).split(path.sep).join("/"))
    .sort();
}

/** Hashes every listed file (relative to `root`) into manifest entries named `prefix/relative` (or `relative`). */
export async function hashEntries(root: string, files: string[], prefix: string): Promise<ManifestEntry[]> {
  const out: ManifestEntry[] = [];
  for (const rel of files) {
    const { sha256, size } = await sha256File(path.join(root, rel));
    out.push({ path: prefix ? `${prefix}/${rel}` : rel, size, sha256 });
  }
  return out;
}

/**
 * Compares what is on disk under `root` with the manifest: the same set of
 * files, each with the recorded size and sha256. Returns the problems found.
 */
export async function compareWithManifest(root: string, manifest: Manifest): Promise<string[]> {
  const problems: string[] = [];
  const expected = new Map(manifest.files.map((f) => [f.path, f]));
  const present = (await listFiles(root)).filter((p) => p !== MANIFEST_NAME);
  for (const rel of present) {
    const want = expected.get(rel);
    if (!want) {
      problems.push(`${rel}: not listed in the manifest`);
      continue;
    }
    expected.delete(rel);
    const got = await sha256File(path.join(root, rel));
    if (got.size !== want.size) problems.push(`${rel}: ${got.size} bytes, the manifest says ${want.size}`);
    else if (got.sha256 !== want.sha256) problems.push(`${rel}: checksum does not match the manifest`);
  }
  for (const missing of expected.keys())
    problems.push(`${missing}: listed in the manifest but missing from the archive`);
  return problems;
}
