import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../..", import.meta.url));

export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/**
 * Starts `ensemble serve` as its own process (for tests that kill a node or
 * run several) and waits for its "ready" log line; `env` needs LOG_LEVEL info
 * or lower for that line to be printed.
 */
export async function spawnServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const proc = spawn(process.execPath, [path.join(root, "apps/server/src/cli.ts"), "serve"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    proc.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split("\n")) {
        if (!line.startsWith("{")) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === "Ensemble is ready" && entry.url) resolve(entry.url);
        } catch {
          // a partial line: wait for the rest
        }
      }
    });
    void exited.then((code) => reject(new Error(`node exited (${code}) before ready: ${stderr}`)));
  });
  return { proc, url, exited };
}
