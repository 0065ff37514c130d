import { randomBytes } from "node:crypto";
import net from "node:net";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realtimeClient, startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";
import type { RealtimeClient } from "@ensemble/client";
import { CloseCodes } from "@ensemble/protocol";
import { fixtureModules } from "./realtime-fixtures.ts";

/**
 * A bare WebSocket over TCP: unlike a real client it never answers pings and
 * can stop reading, which is what a dead or slow peer looks like.
 */
async function rawSocket(baseUrl: string, as: TestClient) {
  const u = new URL(baseUrl);
  const sock = net.connect(Number(u.port), u.hostname);
  await once(sock, "connect");
  const cookie = [...as.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  sock.write(
    `GET /ws?v=1 HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\nCookie: ${cookie}\r\n\r\n`,
  );
  let received = "";
  let isClosed = false;
  sock.on("data", (d: Buffer) => (received += d.toString("latin1")));
  sock.on("close", () => (isClosed = true));
  sock.on("error", () => {});
  const send = (msg: unknown) => {
    const payload = Buffer.from(JSON.stringify(msg));
    const mask = randomBytes(4);
    const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
    if (payload.length >= 126) throw new Error("short frames only");
    sock.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
  };
  return { sock, send, text: () => received, closed: () => isClosed };
}

describe("realtime limits", () => {
  let s: TestServer;
  const clients: RealtimeClient[] = [];
  beforeAll(async () => {
    s = await startTestServer({
      env: { WS_HEARTBEAT_MS: "200", WS_MAX_BUFFER_BYTES: "65536" },
      modules: fixtureModules(),
    });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await s.close();
  });

  it("reaps a connection that stops answering heartbeats, and keeps a live one", async () => {
    const { client } = await s.signedIn();
    const live = realtimeClient(s.url, client);
    clients.push(live);
    await live.opened();
    const dead = await rawSocket(s.url, client);
    await waitFor(() => dead.text().includes('"type":"hello"'), "hello on the raw socket");
    await waitFor(() => dead.closed(), "the silent connection reaped");
    expect(live.state).toBe("open");
    expect(s.kernel.realtime.connectionCount).toBe(1);
  });

  it("closes sockets whose session vanished behind its back (another process) within a heartbeat", async () => {
    const { client, user } = await s.signedIn();
    const c = realtimeClient(s.url, client);
    clients.push(c);
    await c.opened();
    const closes: number[] = [];
    c.on("close", (e) => closes.push(e.code));
    // What `ensemble user deactivate` in another process does on a single node without Redis.
    await s.kernel.db.updateTable("users").set({ deactivated: 1 }).where("id", "=", user.id).execute();
    await waitFor(() => closes.includes(CloseCodes.sessionEnded.code), "close 4003");
    expect(c.state).toBe("closed");
  });

  it("takes a role changed behind its back within a heartbeat and re-checks the subscriptions", async () => {
    const { client, user } = await s.signedIn();
    const colleague = await s.createUser();
    const c = realtimeClient(s.url, client);
    clients.push(c);
    const refused: string[] = [];
    await c.subscribe(`presence:${colleague.id}`, { onEvent: () => {}, onRefused: (r) => refused.push(r) }).ready;
    // A role change that no `reauthorize` announced (another process on a node without Redis).
    await s.kernel.db.updateTable("users").set({ role: "guest" }).where("id", "=", user.id).execute();
    await waitFor(() => refused.includes("revoked"), "presence of a colleague revoked for the guest");
    expect(c.state).toBe("open");
  });
});

describe("realtime backpressure", () => {
  let s: TestServer;
  const clients: RealtimeClient[] = [];
  // Default heartbeat here: the raw socket must be cut for its backlog, not for missing pongs.
  beforeAll(async () => {
    s = await startTestServer({ env: { WS_MAX_BUFFER_BYTES: "65536" }, modules: fixtureModules() });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await s.close();
  });
  const slowCloses = async () => {
    const text = (await s.client().get("/metrics")).text;
    const m = /ensemble_websocket_server_closes_total\{reason="slow consumer"\} (\d+)/.exec(text);
    return m ? Number(m[1]) : 0;
  };

  it("disconnects a slow consumer instead of buffering without bound; the others get everything", async () => {
    const { client } = await s.signedIn();
    const fast = realtimeClient(s.url, client);
    clients.push(fast);
    let got = 0;
    await fast.subscribe("room:slow", { onEvent: () => void (got += 1) }).ready;
    const slow = await rawSocket(s.url, client);
    await waitFor(() => slow.text().includes('"type":"hello"'), "hello on the raw socket");
    slow.send({ type: "subscribe", topic: "room:slow" });
    await waitFor(() => slow.text().includes('"type":"subscribed"'), "the slow subscription");
    const before = await slowCloses();
    // It stops reading: what it has not read piles up in the server's send buffer.
    slow.sock.pause();
    const big = "x".repeat(4_000);
    let sent = 0;
    while ((await slowCloses()) === before && sent < 5_000) {
      expect(
        (await client.post("/api/fixture/rooms/slow/posts", { texts: Array.from({ length: 100 }, () => big) })).status,
      ).toBe(200);
      sent += 100;
    }
    await waitFor(async () => (await slowCloses()) > before, "the slow consumer disconnected (counted in /metrics)");
    await waitFor(() => s.kernel.realtime.connectionCount === 1, "only the fast client left");
    await waitFor(() => got === sent, "every event on the fast client");
  });
});
