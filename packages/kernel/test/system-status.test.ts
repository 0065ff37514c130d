import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, testDbKind, type TestServer } from "@ensemble/testkit";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe("GET /api/admin/status", () => {
  it("gives administrators the system at a glance", async () => {
    const { client } = await server.signedIn({ role: "admin" });
    const r = await client.get<{
      version: string;
      node: string;
      database: { kind: string; ok: boolean; latencyMs: number };
      redis: { configured: boolean };
      storage: { kind: string; freeBytes: number; totalBytes: number };
      memory: { rssBytes: number };
      realtime: { connections: number };
    }>("/api/admin/status");
    expect(r.status).toBe(200);
    expect(r.body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.body.node).toBe(process.version);
    expect(r.body.database).toMatchObject({ kind: testDbKind(), ok: true });
    expect(r.body.redis.configured).toBe(false);
    expect(r.body.storage.totalBytes).toBeGreaterThan(r.body.storage.freeBytes);
    expect(r.body.memory.rssBytes).toBeGreaterThan(0);
    expect(r.body.realtime.connections).toBeGreaterThanOrEqual(0);
  });

  it("is refused to members and to anonymous callers", async () => {
    const { client } = await server.signedIn({ role: "member" });
    const member = await client.get<{ code: string }>("/api/admin/status");
    expect(member.status).toBe(403);
    expect(member.body.code).toBe("forbidden");
    const anon = await server.client().get<{ code: string }>("/api/admin/status");
    expect(anon.status).toBe(401);
  });
});
