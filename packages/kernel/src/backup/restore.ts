import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import * as tar from "tar";
import type { Config } from "../config.ts";
import { pgRestoreCommand } from "./backup.ts";
import {
  BACKUP_FORMAT_VERSION,
  BackupError,
  DATABASE_ENTRY,
  FILES_DIR,
  MANIFEST_NAME,
  SQLITE_FILE,
  compareWithManifest,
  type Manifest,
} from "./manifest.ts";
import { parseManifest } from "./verify.ts";

export interface RestoreResult {
  manifest: Manifest;
  databaseRestored: boolean;
  /** Set on PostgreSQL: how to load the database dump taken next to the archive. */
  pgRestoreCommand: string | null;
}

/** Our own staging folders (a crash may leave one behind); they do not make DATA_DIR "in use". */
const STAGING = /^\.(backup|restore)-/;

/**
 * Restores an archive written by `createBackup` into DATA_DIR. Everything is
 * extracted into a staging folder and checked against the manifest first;
 * DATA_DIR is only touched once the whole archive has proved intact.
 */
export async function restoreBackup(
  config: Pick<Config, "dataDir" | "DATABASE_URL" | "DATABASE_SCHEMA">,
  archivePath: string,
  opts: { force: boolean },
): Promise<RestoreResult> {
  const archive = path.resolve(archivePath);
  const dataDir = config.dataDir;
  if (!existsSync(archive)) throw new BackupError(`There is no file at ${archive}.`);
  const kind = config.DATABASE_URL ? "postgres" : "sqlite";

  const present = existsSync(dataDir) ? (await readdir(dataDir)).filter((n) => !STAGING.test(n)) : [];
  if (present.length && !opts.force) {
    throw new BackupError(
      `DATA_DIR ${dataDir} is not empty (it holds ${present.slice(0, 5).join(", ")}${present.length > 5 ? ", …" : ""}).\n` +
        `Restoring would replace its database and file store. Point DATA_DIR at an empty folder, or stop the server and run again with --force.`,
    );
  }
  if (kind === "sqlite") assertDatabaseNotInUse(path.join(dataDir, SQLITE_FILE));

  await mkdir(dataDir, { recursive: true });
  const staging = await mkdtemp(path.join(dataDir, ".restore-"));
  try {
    const manifest = await extractAndCheck(archive, staging);
    if (manifest.database.kind === "sqlite" && kind === "postgres") {
      throw new BackupError(
        "This archive holds a SQLite database but DATABASE_URL is set. Unset DATABASE_URL to restore it as SQLite; restore cannot move data from SQLite into PostgreSQL.",
      );
    }
    if (manifest.database.kind === "postgres" && kind === "sqlite") {
      throw new BackupError(
        "This archive comes from a PostgreSQL installation and holds only the file store. Load the database with pg_restore, set DATABASE_URL to it, then run restore again.",
      );
    }
    if (manifest.database.included) {
      const target = path.join(dataDir, SQLITE_FILE);
      for (const suffix of ["", "-wal", "-shm", "-journal"]) await rm(`${target}${suffix}`, { force: true });
      await rename(path.join(staging, DATABASE_ENTRY), target);
    }
    const files = path.join(dataDir, FILES_DIR);
    await rm(files, { recursive: true, force: true });
    await rename(path.join(staging, FILES_DIR), files);
    return {
      manifest,
      databaseRestored: manifest.database.included,
      pgRestoreCommand: kind === "postgres" ? pgRestoreCommand(config.DATABASE_SCHEMA) : null,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function extractAndCheck(archive: string, staging: string): Promise<Manifest> {
  const refused: string[] = [];
  try {
    await tar.extract({
      file: archive,
      cwd: staging,
      strict: true,
      preserveOwner: false,
      // Only plain files and folders under the known top-level names: no links, devices or stray paths.
      filter: (p, entry) => {
        const name = p.replace(/^\.\//, "").replace(/\/+$/, "");
        const type = "type" in entry ? entry.type : "File";
        const known =
          name === MANIFEST_NAME ||
          name.startsWith(`${FILES_DIR}/`) ||
          name === FILES_DIR ||
          name === DATABASE_ENTRY ||
          name === path.posix.dirname(DATABASE_ENTRY);
        const ok = known && (type === "File" || type === "Directory");
        if (!ok) refused.push(`${name} (${type})`);
        return ok;
      },
    });
  } catch (e) {
    throw new BackupError(`Cannot read ${archive}: ${(e as Error).message}. Is it an Ensemble backup (.tar.gz)?`);
  }
  if (!existsSync(path.join(staging, MANIFEST_NAME))) {
    throw new BackupError(`${archive} has no ${MANIFEST_NAME}: it is not an Ensemble backup.`);
  }
  const manifest = parseManifest(await readFile(path.join(staging, MANIFEST_NAME), "utf8"));
  if (manifest.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new BackupError(
      `This backup was written by a newer Ensemble (${manifest.ensembleVersion}, format ${manifest.formatVersion}); upgrade before restoring it.`,
    );
  }
  const problems = [
    ...refused.map((r) => `${r}: not allowed in a backup`),
    ...(await compareWithManifest(staging, manifest)),
  ];
  if (problems.length) {
    throw new BackupError(
      `The archive is damaged or was altered; nothing was restored:\n  ${problems.slice(0, 20).join("\n  ")}`,
    );
  }
  await mkdir(path.join(staging, FILES_DIR), { recursive: true });
  return manifest;
}

/**
 * A running server keeps the SQLite file open; replacing it underneath would
 * lose its writes. Every open WAL connection holds a shared lock, so failing
 * to take an exclusive one means someone is using the database.
 */
function assertDatabaseNotInUse(file: string): void {
  if (!existsSync(file)) return;
  let db: DatabaseSync | null = null;
  try {
    db = new DatabaseSync(file, { timeout: 0 });
    db.exec("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; ROLLBACK");
  } catch {
    throw new BackupError(`The database ${file} is in use: stop the Ensemble server before restoring over it.`);
  } finally {
    db?.close();
  }
}
