import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { configSchema } from "@ensemble/kernel";
import { testDatabaseUrl, testDbKind } from "@ensemble/testkit";

/** The real entry point, run by the same Node 24 that runs the tests. */
export const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The child's environment: this process's (PATH, HOME…) minus every Ensemble
 * setting, so nothing from the developer's shell leaks in, plus `env`.
 */
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(configSchema.shape)) delete out[key];
  out.LOG_LEVEL = "warn";
  out.ARGON2_MEMORY_KIB = "1024";
  out.ARGON2_PASSES = "1";
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** DATA_DIR, and on the PostgreSQL suite DATABASE_URL + DATABASE_SCHEMA, for a child sharing a test server's storage. */
export function storageEnv(dataDir: string, schema?: string): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    ...(testDbKind() === "postgres" && schema ? { DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema } : {}),
  };
}

export function spawnCli(args: string[], env: Record<string, string | undefined>): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { env: childEnv(env), stdio: ["pipe", "pipe", "pipe"] });
}

/** Runs `ensemble <args>` to completion, optionally feeding `stdin`. */
export function runCli(args: string[], env: Record<string, string | undefined>, stdin?: string): Promise<CliResult> {
  const child = spawnCli(args, env);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  child.stdin!.end(stdin ?? "");
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Relative path → sha256 of every regular file under `root`. */
export async function hashTree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const d of entries) {
    if (!d.isFile()) continue;
    const full = path.join(d.parentPath, d.name);
    out.set(path.relative(root, full), createHash("sha256").update(await readFile(full)).digest("hex"));
  }
  return out;
}

/** Polls `check` until it returns a value other than undefined, or fails after `ms`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
