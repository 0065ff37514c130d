import { existsSync, statSync } from "node:fs";
import http from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloseCodes } from "@ensemble/protocol";
import { TestClient, dropSchema, newSchemaName, realtimeClient, testDbKind } from "@ensemble/testkit";
import { acceptsConnections, runCli, startServe, storageEnv, waitFor } from "./cli-process.ts";

const PASSWORD = "Slow-Upload-Keeps-Going-9";

/**
 * SIGTERM on `ensemble serve`: new connections are refused at once, a request
 * already in progress (its body still arriving) is completed, then the process
 * closes the database and exits 0. Live WebSockets are told to reconnect
 * (close code 4012) so that clients resume on another node.
 */
describe(`graceful shutdown (${testDbKind()})`, () => {
  let dataDir: string;
  const schema = testDbKind() === "postgres" ? newSchemaName() : undefined;
  let env: Record<string, string>;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "ensemble-shutdown-"));
    env = storageEnv(dataDir, schema);
    const add = await runCli(["user", "add", "sylvie", "--password-stdin"], env, PASSWORD);
    expect(add.code).toBe(0);
  });
  afterAll(async () => {
    if (schema) await dropSchema(schema);
    await rm(dataDir, { recursive: true, force: true });
  });

  it("tells WebSockets to reconnect, finishes the in-flight request, refuses new connections, closes the database and exits 0", async () => {
    const serve = startServe({ ...env, PORT: "0" });
    const url = await serve.ready;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    const browser = new TestClient(url);
    expect((await browser.post("/api/auth/sign-in", { login: "sylvie", password: PASSWORD })).status).toBe(200);
    const socket = realtimeClient(url, browser);
    const closes: { code: number; willReconnect: boolean }[] = [];
    socket.on("close", (e) => closes.push(e));
    await socket.opened();

    // A sign-in whose body is only half sent: the request is in progress when SIGTERM arrives.
    const body = Buffer.from(JSON.stringify({ login: "sylvie", password: PASSWORD }));
    const u = new URL(url);
    const req = http.request({
      host: u.hostname,
      port: Number(u.port),
      method: "POST",
      path: "/api/auth/sign-in",
      agent: false,
      headers: { "content-type": "application/json", "content-length": String(body.length) },
    });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.once("error", reject);
      req.once("response", (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString("utf8")));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      });
    });
    req.write(body.subarray(0, 10));
    req.flushHeaders();
    // The server has the request once its connection is open and the first bytes are in.
    await new Promise<void>((resolve) => (req.socket ? resolve() : req.once("socket", () => resolve())));
    await waitFor("the request to reach the server", () =>
      req.socket && !req.socket.connecting && req.socket.bytesWritten > 0 ? true : undefined,
    );

    const stoppedAt = Date.now();
    serve.child.kill("SIGTERM");
    await waitFor("the listener to close", async () => ((await acceptsConnections(url)) ? undefined : true));
    // Still alive: it waits for our request.
    expect(serve.child.exitCode).toBeNull();
    await waitFor("the WebSocket to be told to reconnect", () => (closes.length ? true : undefined));
    expect(closes[0]).toEqual(expect.objectContaining({ code: CloseCodes.goingAway.code, willReconnect: true }));
    // Our client would keep retrying against the stopped node; a real one goes through the load balancer.
    socket.close();

    req.end(body.subarray(10));
    const r = await response;
    expect(r.status, r.text).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ user: { username: "sylvie" } });

    const exit = await serve.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(serve.output()).toContain("shutting down");

    if (testDbKind() === "sqlite") {
      // Closed cleanly: the last connection checkpointed the WAL into the database file.
      const wal = path.join(dataDir, "ensemble.db-wal");
      expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    }
    // The database opens cleanly for the next process.
    const list = await runCli(["user", "list", "--json"], env);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ username: "sylvie", status: "active" })]);
  });
});
