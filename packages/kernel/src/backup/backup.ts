import { existsSync } from "node:fs";
import { copyFile, link, mkdir, mkdtemp, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { DatabaseSync, backup as sqliteBackup } from "node:sqlite";
import * as tar from "tar";
import type { Config } from "../config.ts";
import {
  BACKUP_FORMAT_VERSION,
  BackupError,
  DATABASE_ENTRY,
  FILES_DIR,
  MANIFEST_NAME,
  SQLITE_FILE,
  hashEntries,
  listFiles,
  type Manifest,
} from "./manifest.ts";
import { verifyArchive } from "./verify.ts";

export interface BackupResult {
  archive: string;
  manifest: Manifest;
  /** Set on PostgreSQL: the database is not in the archive, back it up with this command. */
  pgDumpCommand: string | null;
}

/** DiskBlobStore writes `<key>.<pid>.tmp` then renames it: such files are writes in progress. */
const PARTIAL_WRITE = /\.\d+\.tmp$/;

/**
 * Writes a consistent online backup of DATA_DIR into one .tar.gz archive:
 * the SQLite database (copied with SQLite's online backup API, so a running
 * server keeps working), the file store, and a manifest with each file's
 * sha256. On PostgreSQL only the file store goes in; the database is dumped
 * with pg_dump (see `pgDumpCommand`).
 *
 * The file store is frozen with hard links into a staging folder first: the
 * blob store replaces files by rename and never rewrites them in place, so the
 * linked inodes keep the content they had at that instant however long the
 * compression takes.
 */
export async function createBackup(
  config: Pick<Config, "dataDir" | "DATABASE_URL" | "DATABASE_SCHEMA">,
  archivePath: string,
  opts: { ensembleVersion: string },
): Promise<BackupResult> {
  const archive = path.resolve(archivePath);
  const dataDir = config.dataDir;
  const filesRoot = path.join(dataDir, FILES_DIR);
  const kind = config.DATABASE_URL ? "postgres" : "sqlite";
  // On PostgreSQL DATA_DIR only holds the file store, which may not exist yet: the pg_dump advice still matters.
  if (kind === "postgres") await mkdir(dataDir, { recursive: true });
  if (!existsSync(dataDir)) throw new BackupError(`DATA_DIR ${dataDir} does not exist: there is nothing to back up.`);
  if (isInside(archive, filesRoot)) {
    throw new BackupError(
      `The archive must not be written inside the file store (${filesRoot}); choose another place.`,
    );
  }
  if (!existsSync(path.dirname(archive))) throw new BackupError(`The folder ${path.dirname(archive)} does not exist.`);

  const staging = await mkdtemp(path.join(dataDir, ".backup-"));
  const partial = `${archive}.partial`;
  try {
    const entries = [];
    if (kind === "sqlite") {
      await mkdir(path.join(staging, path.dirname(DATABASE_ENTRY)), { recursive: true });
      await snapshotSqlite(path.join(dataDir, SQLITE_FILE), path.join(staging, DATABASE_ENTRY));
      entries.push(...(await hashEntries(staging, [DATABASE_ENTRY], "")));
    }
    const stagedFiles = path.join(staging, FILES_DIR);
    await mkdir(stagedFiles, { recursive: true });
    const frozen = await freezeFiles(filesRoot, stagedFiles);
    const fileEntries = await hashEntries(stagedFiles, frozen, FILES_DIR);
    entries.push(...fileEntries);

    const manifest: Manifest = {
      format: "ensemble-backup",
      formatVersion: BACKUP_FORMAT_VERSION,
      ensembleVersion: opts.ensembleVersion,
      createdAt: new Date().toISOString(),
      database: { kind, included: kind === "sqlite" },
      fileCount: fileEntries.length,
      totalBytes: entries.reduce((n, e) => n + e.size, 0),
      files: entries,
    };
    await writeFile(path.join(staging, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`);
    // The manifest goes first so that a reader can check each entry as it streams by.
    const top = [MANIFEST_NAME, ...(kind === "sqlite" ? [path.dirname(DATABASE_ENTRY)] : []), FILES_DIR];
    await tar.create({ gzip: true, file: partial, cwd: staging, portable: true }, top);
    const problems = (await verifyArchive(partial)).problems;
    if (problems.length)
      throw new BackupError(`The archive just written does not read back correctly:\n  ${problems.join("\n  ")}`);
    await rename(partial, archive);
    return {
      archive,
      manifest,
      pgDumpCommand: kind === "postgres" ? pgDumpCommand(archive, config.DATABASE_SCHEMA) : null,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(partial, { force: true });
  }
}

async function snapshotSqlite(source: string, target: string): Promise<void> {
  if (!existsSync(source)) {
    throw new BackupError(`There is no database at ${source}. Is DATA_DIR right? (On PostgreSQL, set DATABASE_URL.)`);
  }
  // A separate connection to the live file: WAL lets the server keep writing while we read.
  const src = new DatabaseSync(source, { timeout: 10_000 });
  try {
    // One step copies every page inside a single read transaction: a consistent snapshot that
    // concurrent writers (which go to the WAL) never force to restart.
    await sqliteBackup(src, target, { rate: 1_000_000_000 });
  } finally {
    src.close();
  }
  const copy = new DatabaseSync(target);
  try {
    // A self-contained file: no -wal/-shm companions to lose on the way.
    copy.exec("PRAGMA journal_mode = DELETE");
    const check = copy.prepare("PRAGMA quick_check").get() as { quick_check?: string } | undefined;
    if (check?.quick_check !== "ok")
      throw new BackupError(`The database snapshot failed its integrity check: ${check?.quick_check}`);
  } finally {
    copy.close();
  }
}

/** Hard-links (or, across file systems, copies) every stored file into the staging folder. */
async function freezeFiles(root: string, into: string): Promise<string[]> {
  const frozen: string[] = [];
  for (const rel of await listFiles(root)) {
    if (PARTIAL_WRITE.test(rel)) continue;
    const from = path.join(root, rel);
    const to = path.join(into, rel);
    await mkdir(path.dirname(to), { recursive: true });
    try {
      await link(from, to);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // Deleted since the listing: it is simply not part of this backup.
      if (code === "ENOENT") continue;
      if (code !== "EXDEV" && code !== "EPERM" && code !== "ENOTSUP" && code !== "EMLINK") throw e;
      try {
        await copyFile(from, to);
      } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw e2;
      }
    }
    frozen.push(rel);
  }
  return frozen;
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** The pg_dump line an operator runs next to `ensemble backup`; the URL stays in its variable, never printed. */
export function pgDumpCommand(archive: string, schema: string | undefined): string {
  const dump = `${archive.replace(/\.(tar\.gz|tgz)$/, "")}.pgdump`;
  return `pg_dump --format=custom${schema ? ` --schema=${schema}` : ""} --file=${shellQuote(dump)} "$DATABASE_URL"`;
}

export function pgRestoreCommand(schema: string | undefined): string {
  return `pg_restore --clean --if-exists --no-owner${schema ? ` --schema=${schema}` : ""} --dbname="$DATABASE_URL" <file>.pgdump`;
}

function shellQuote(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** Size of the archive, for the operator's summary. */
export async function archiveSize(file: string): Promise<number> {
  return (await stat(file)).size;
}
