import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tar from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropSchema, newSchemaName, startTestServer, testDbKind, type TestServer } from "@ensemble/testkit";
import { hashTree, runCli, storageEnv } from "./cli-process.ts";

const kind = testDbKind();

interface ManifestJson {
  format: string;
  formatVersion: number;
  database: { kind: string; included: boolean };
  fileCount: number;
  files: { path: string; size: number; sha256: string }[];
}

async function readManifest(archive: string): Promise<{ manifest: ManifestJson; entries: string[] }> {
  const entries: string[] = [];
  let text = "";
  await tar.list({
    file: archive,
    onReadEntry: (e) => {
      entries.push(e.path);
      if (e.path === "manifest.json") e.on("data", (c: Buffer) => (text += c.toString("utf8")));
    },
  });
  return { manifest: JSON.parse(text) as ManifestJson, entries };
}

/** A file store with binary content, nested folders, an empty file and a larger blob, written through the blob store. */
async function populateFiles(s: TestServer): Promise<void> {
  await s.kernel.blobs.put("avatars/01/a.png", randomBytes(4096));
  await s.kernel.blobs.put("files/2026/11/28/deep/nested/report.bin", randomBytes(300_000));
  await s.kernel.blobs.put("files/2026/11/28/empty", Buffer.alloc(0));
  await s.kernel.blobs.put("big.bin", randomBytes(3 * 1024 * 1024));
  // Every byte value, so a text-mode mangling would show.
  await s.kernel.blobs.put("all-bytes", Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
}

// Each CLI call is a fresh Node process loading the kernel (1-3 s on a loaded CI machine); some tests make ten.
describe(`backup and restore (${kind})`, { timeout: 120_000 }, () => {
  let s: TestServer;
  let work: string;
  let dataDir: string;
  const schema = kind === "postgres" ? newSchemaName() : undefined;
  let env: Record<string, string>;
  let archive: string;
  let before: Map<string, string>;
  const users: { username: string; password: string }[] = [];

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "ensemble-backup-"));
    dataDir = path.join(work, "data");
    s = await startTestServer({ dataDir, ...(schema ? { schema } : {}), env: { RATE_LIMIT_SIGNIN_PER_MIN: "1000" } });
    env = storageEnv(dataDir, schema);
    users.push(await s.createUser({ role: "admin" }), await s.createUser(), await s.createUser({ role: "guest" }));
    await populateFiles(s);
    before = await hashTree(path.join(dataDir, "files"));
    archive = path.join(work, "ensemble-backup.tar.gz");

    // Online: the server keeps serving (and writing sessions) while the backup runs.
    let done = false;
    const backup = runCli(["backup", archive], env).finally(() => (done = true));
    let signIns = 0;
    while (!done) {
      const u = users[signIns % users.length]!;
      const r = await s.client().post("/api/auth/sign-in", { login: u.username, password: u.password });
      expect(r.status).toBe(200);
      signIns += 1;
    }
    const r = await backup;
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(signIns).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await s.close();
    if (schema) await dropSchema(schema);
    await rm(work, { recursive: true, force: true });
  });

  it("writes one archive with a manifest listing every stored file and its sha256", async () => {
    const { manifest, entries } = await readManifest(archive);
    expect(entries[0]).toBe("manifest.json");
    expect(manifest).toMatchObject({ format: "ensemble-backup", formatVersion: 1, fileCount: before.size });
    const stored = manifest.files.filter((f) => f.path.startsWith("files/"));
    expect(new Map(stored.map((f) => [f.path.slice("files/".length), f.sha256]))).toEqual(before);
    if (kind === "sqlite") {
      expect(manifest.database).toEqual({ kind: "sqlite", included: true });
      expect(entries).toContain("database/ensemble.db");
    } else {
      expect(manifest.database).toEqual({ kind: "postgres", included: false });
      expect(entries.some((e) => e.startsWith("database"))).toBe(false);
    }
  });

  it("tells the operator what the archive holds; on PostgreSQL, the pg_dump command to run (the URL stays in its variable)", async () => {
    const second = path.join(work, "second.tar.gz");
    const r = await runCli(["backup", second], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Backup written to ${second}`);
    if (kind === "postgres") {
      expect(r.stdout).toContain(`${before.size} stored file(s), verified`);
      expect(r.stdout).toContain("The database is PostgreSQL: it is NOT in this archive");
      expect(r.stdout).toContain(
        `pg_dump --format=custom --schema=${schema} --file=${path.join(work, "second")}.pgdump "$DATABASE_URL"`,
      );
      expect(r.stdout).not.toContain("postgres://");
    } else {
      expect(r.stdout).toContain(`the SQLite database and ${before.size} stored file(s), verified`);
      expect(r.stdout).not.toContain("pg_dump");
    }
  });

  it("refuses to restore into a non-empty DATA_DIR without --force, and into a live database with it", async () => {
    const r = await runCli(["restore", archive], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/DATA_DIR .* is not empty/);
    expect(r.stderr).toContain("--force");
    if (kind === "sqlite") {
      const forced = await runCli(["restore", archive, "--force"], env);
      expect(forced.code).toBe(1);
      expect(forced.stderr).toMatch(/is in use: stop the Ensemble server/);
    }
    // Nothing was touched.
    expect(await hashTree(path.join(dataDir, "files"))).toEqual(before);
    expect(
      (await s.client().post("/api/auth/sign-in", { login: users[0]!.username, password: users[0]!.password })).status,
    ).toBe(200);
  });

  it("restores into a fresh DATA_DIR: the users sign in and the file store is byte-for-byte equal", async () => {
    // Written after the backup: must not come back.
    const late = await s.createUser();
    await s.kernel.blobs.put("late.bin", randomBytes(10));
    const target = path.join(work, "restored");
    const r = await runCli(["restore", archive], { ...env, DATA_DIR: target });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("every checksum matched");
    if (kind === "postgres") expect(r.stdout).toContain("pg_restore --clean --if-exists --no-owner");
    expect(await hashTree(path.join(target, "files"))).toEqual(before);

    const s2 = await startTestServer({ dataDir: target, ...(schema ? { schema } : {}) });
    try {
      for (const u of users) {
        const signIn = await s2.client().post("/api/auth/sign-in", { login: u.username, password: u.password });
        expect(signIn.status, u.username).toBe(200);
      }
      if (kind === "sqlite") {
        const lateSignIn = await s2
          .client()
          .post("/api/auth/sign-in", { login: late.username, password: late.password });
        expect(lateSignIn.status).toBe(401);
      }
      const blob = await s2.kernel.blobs.get("all-bytes");
      const chunks: Buffer[] = [];
      for await (const c of blob!) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks)).toEqual(Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
    } finally {
      await s2.close();
    }

    // With --force, over the (now stopped) restored copy that has changed since.
    await writeFile(path.join(target, "files", "stray.txt"), "not in the backup");
    const again = await runCli(["restore", archive, "--force"], { ...env, DATA_DIR: target });
    expect(again.code).toBe(0);
    expect(await hashTree(path.join(target, "files"))).toEqual(before);
  });

  it("refuses an archive whose content does not match its manifest, leaving DATA_DIR untouched", async () => {
    const unpacked = path.join(work, "tamper");
    await mkdir(unpacked);
    await tar.extract({ file: archive, cwd: unpacked });
    const victim = path.join(unpacked, "files", "all-bytes");
    const bytes = await readFile(victim);
    bytes[0] = bytes[0]! ^ 0xff;
    await writeFile(victim, bytes);
    const tampered = path.join(work, "tampered.tar.gz");
    await tar.create({ gzip: true, file: tampered, cwd: unpacked }, [
      "manifest.json",
      "files",
      ...(kind === "sqlite" ? ["database"] : []),
    ]);
    const target = path.join(work, "never");
    const r = await runCli(["restore", tampered], { ...env, DATA_DIR: target });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("files/all-bytes: checksum does not match the manifest");
    expect(existsSync(path.join(target, "files"))).toBe(false);
    expect(existsSync(path.join(target, "ensemble.db"))).toBe(false);
  });

  it("refuses an archive taken on the other database engine", async () => {
    const other =
      kind === "sqlite"
        ? { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test", DATABASE_SCHEMA: "t_never_used" }
        : { DATABASE_URL: undefined, DATABASE_SCHEMA: undefined };
    const r = await runCli(["restore", archive], { ...env, ...other, DATA_DIR: path.join(work, "other-engine") });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      kind === "sqlite" ? /holds a SQLite database but DATABASE_URL is set/ : /comes from a PostgreSQL installation/,
    );
  });

  it("answers usage mistakes with exit code 64", async () => {
    for (const args of [
      ["backup"],
      ["backup", "a.tar.gz", "b.tar.gz"],
      ["restore"],
      ["restore", "x.tar.gz", "--overwrite"],
    ]) {
      const r = await runCli(args, env);
      expect(r.code, args.join(" ")).toBe(64);
      expect(r.stderr).toMatch(/Usage: ensemble (backup|restore)/);
    }
    const missing = await runCli(["restore", path.join(work, "no-such.tar.gz")], {
      ...env,
      DATA_DIR: path.join(work, "empty"),
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("There is no file at");
  });
});
