import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import net from "node:net";
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
    out.set(
      path.relative(root, full),
      createHash("sha256")
        .update(await readFile(full))
        .digest("hex"),
    );
  }
  return out;
}

/** Polls `check` until it returns a value other than undefined, or fails after `ms`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface ServeProcess {
  child: ChildProcess;
  /** Everything the process has written so far. */
  output(): string;
  /** Resolves with the base URL once "Ensemble is ready" is logged; rejects if the process exits first. */
  ready: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `ensemble serve` as a real child process (LOG_LEVEL=info unless `env` says otherwise). */
export function startServe(env: Record<string, string | undefined>): ServeProcess {
  const child = spawnCli(["serve"], { LOG_LEVEL: "info", HOST: "127.0.0.1", ...env });
  child.stdin!.end();
  let out = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (c: Buffer) => {
      out += c.toString("utf8");
      for (const line of out.split("\n")) {
        if (!line.includes("Ensemble is ready")) continue;
        try {
          resolve((JSON.parse(line) as { url: string }).url);
        } catch {
          // A partial line: the rest comes with the next chunk.
        }
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (c: Buffer) => (out += c.toString("utf8")));
    void exited.then(({ code, signal }) =>
      reject(new Error(`serve exited (${code ?? signal}) before it was ready:\n${out}`)),
    );
  });
  ready.catch(() => {});
  return { child, output: () => out, ready, exited };
}

/** A TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether a new TCP connection to the URL's port is accepted. */
export function acceptsConnections(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port) });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}
