import { spawn } from "node:child_process";
import type { IncomingHttpHeaders } from "node:http";
import { accessSync, constants } from "node:fs";
import type { TestClient, TestServer } from "@ensemble/testkit";

/** A user with an app password (an app token with read and write scopes), as Nextcloud clients sign in. */
export async function davUser(
  server: TestServer,
): Promise<{ id: string; username: string; password: string; url: string; client: TestClient }> {
  const { client, user } = await server.signedIn();
  const r = await client.post<{ token: string }>("/api/me/tokens", { name: "dav", scopes: ["read", "write"] });
  if (r.status !== 201 && r.status !== 200) throw new Error(`token: ${r.status} ${r.text}`);
  return {
    id: user.id,
    client,
    username: user.username,
    password: r.body.token,
    url: `${server.url}/remote.php/dav/files/${user.username}/`,
  };
}

/**
 * A Debian tool the suite drives (litmus, rclone). Missing: a failure in CI (CI=true), a skip
 * with the reason elsewhere, so a developer's machine without it still runs the rest.
 */
export function tool(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    if (process.env.CI === "true") throw new Error(`${path} is required in CI (apt-get install it in .ci/run)`);
    return false;
  }
}

/** Runs a command to completion and answers its exit code and output (no shell). */
export function run(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
  /** Stopped after this long, so a stall fails with the output so far rather than a bare test timeout. */
  timeoutMs = 150_000,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    let out = "";
    p.stdout.on("data", (b: Buffer) => (out += b.toString()));
    p.stderr.on("data", (b: Buffer) => (out += b.toString()));
    p.on("error", reject);
    p.on("close", (code) => resolve({ code, out }));
  });
}

/** A raw HTTP request (fetch would normalise `..` segments in the URL before sending). */
export async function davRequest(
  server: TestServer,
  who: { username: string; password: string },
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; text: string; type: string | null; headers: IncomingHttpHeaders }> {
  const { request } = await import("node:http");
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          authorization: `Basic ${Buffer.from(`${who.username}:${who.password}`).toString("base64")}`,
          ...(opts.body !== undefined ? { "content-length": String(Buffer.byteLength(opts.body)) } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        let text = "";
        res.on("data", (b: Buffer) => (text += b.toString()));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            text,
            type: res.headers["content-type"] ?? null,
            headers: res.headers,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}
