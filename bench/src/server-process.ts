import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "./report.ts";

export interface ServerProcess {
  url: string;
  pid: number;
  /** Milliseconds from spawn to the first 200 from /readyz. */
  readyMs: number;
  /** The first-run setup token the server printed (waits briefly for the output pipe). */
  setupToken(): Promise<string>;
  rssMiB(): number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

/** VmRSS of a process, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/**
 * Starts the suite exactly as `npm start` does (`node apps/server/src/cli.ts
 * serve`), on loopback, with embedded defaults: a fresh DATA_DIR unless one is
 * given, and no DATABASE_URL/REDIS_URL inherited from the caller.
 */
export async function startServerProcess(
  opts: { env?: Record<string, string>; dataDir?: string; timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(tmpdir(), "ensemble-bench-")));
  const port = await freePort();
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of ["DATABASE_URL", "DATABASE_SCHEMA", "REDIS_URL", "CONFIG_FILE", "SMTP_URL", "OIDC_ISSUER"])
    delete env[k];
  // The load generators send far more than a person through one credential: the default per-route limit is
  // raised so they measure the server (the limiter still counts every request, so its cost is in the figures).
  Object.assign(
    env,
    {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      RATE_LIMIT_DEFAULT_PER_MIN: "100000000",
    },
    opts.env,
  );
  const started = performance.now();
  // Same V8 flags as `npm start` (root package.json).
  const child: ChildProcess = spawn(process.execPath, ["--max-semi-space-size=8", "apps/server/src/cli.ts", "serve"], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  // Keep draining: a full pipe would block the server's logging.
  child.stdout!.on("data", (c: Buffer) => {
    if (out.length < 100_000) out += c.toString("utf8");
  });
  child.stderr!.on("data", (c: Buffer) => {
    if (err.length < 100_000) err += c.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = started + (opts.timeoutMs ?? 30_000);
  let readyMs = -1;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${err || out}`);
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.status === 200) {
        readyMs = performance.now() - started;
        break;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  if (readyMs < 0) {
    child.kill("SIGKILL");
    throw new Error(`server not ready within the timeout:\n${err || out}`);
  }
  const setupToken = async () => {
    for (let i = 0; i < 200; i++) {
      const t = /setup#token=([A-Za-z0-9_-]+)/.exec(out)?.[1];
      if (t) return t;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error("the server printed no setup token");
  };
  const pid = child.pid!;
  return {
    url,
    pid,
    readyMs,
    setupToken,
    rssMiB: () => rssMiB(pid),
    stop: async () => {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
      if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates the first administrator through the real setup API and returns a signed-in cookie header. */
export async function createAdmin(
  server: ServerProcess,
  username = "operator",
  password = "Tall-Quartz-Lantern-2026",
): Promise<{ cookie: string; username: string; password: string }> {
  const token = await server.setupToken();
  const r = await fetch(`${server.url}/api/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, username, displayName: "Bench", email: "bench@example.org", password }),
  });
  if (r.status !== 201) throw new Error(`setup failed: ${r.status} ${await r.text()}`);
  const cookie = r.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { cookie, username, password };
}
