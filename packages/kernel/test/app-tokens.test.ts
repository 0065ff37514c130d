import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loggerOptions } from "@ensemble/kernel";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";

interface CreatedToken {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  token: string;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (username: string, token: string) => ({
  authorization: `Basic ${Buffer.from(`${username}:${token}`).toString("base64")}`,
});

describe("app tokens", () => {
  let s: TestServer;
  let logs = "";
  beforeAll(async () => {
    // The server's real pino pipeline (same options, LOG_LEVEL=info), written to memory instead of stdout.
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs += chunk.toString("utf8");
        done();
      },
    });
    s = await startTestServer({
      env: { LOG_LEVEL: "info", RATE_LIMIT_SIGNIN_PER_MIN: "1000" },
      log: pino(loggerOptions("info"), sink),
    });
  });
  afterAll(async () => s.close());

  async function newToken(client: TestClient, scopes: string[], name = "laptop"): Promise<CreatedToken> {
    const r = await client.post<CreatedToken>("/api/me/tokens", { name, scopes });
    expect(r.status).toBe(201);
    return r.body;
  }

  it("is shown once, then listed without its value", async () => {
    const { client } = await s.signedIn();
    const t = await newToken(client, ["read", "write"], "rclone");
    expect(t.token).toMatch(/^ens_/);
    expect(t).toMatchObject({ name: "rclone", scopes: ["read", "write"], prefix: t.token.slice(0, 10) });
    const list = await client.get<{ items: Record<string, unknown>[] }>("/api/me/tokens");
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      id: t.id,
      name: "rclone",
      prefix: t.prefix,
      scopes: ["read", "write"],
      lastUsedAt: null,
    });
    expect(list.body.items[0]).not.toHaveProperty("token");
    expect(list.text).not.toContain(t.token);
    expect(list.text).not.toContain(t.token.slice(10));
  });

  it("authenticates the REST API with Bearer and with Basic username:token", async () => {
    const { client, user } = await s.signedIn();
    const t = await newToken(client, ["read"]);
    const viaBearer = await s.client().get<{ user: { username: string } }>("/api/me", { headers: bearer(t.token) });
    expect(viaBearer.status).toBe(200);
    expect(viaBearer.body.user.username).toBe(user.username);
    const viaBasic = await s
      .client()
      .get<{ user: { username: string } }>("/api/me", { headers: basic(user.username, t.token) });
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.body.user.username).toBe(user.username);
    const used = await client.get<{ items: { lastUsedAt: string | null }[] }>("/api/me/tokens");
    expect(used.body.items[0]?.lastUsedAt).not.toBeNull();
  });

  it("refuses Basic auth with another user's name", async () => {
    const { client } = await s.signedIn();
    const other = await s.createUser();
    const t = await newToken(client, ["read"]);
    const r = await s.client().get("/api/me", { headers: basic(other.username, t.token) });
    expect(r.status).toBe(401);
  });

  it("a read-scoped token cannot write; a write-scoped token can", async () => {
    const { client } = await s.signedIn();
    const ro = await newToken(client, ["read"]);
    const rw = await newToken(client, ["write"]);
    const denied = await s.client().patch("/api/me", { displayName: "Lu seulement" }, { headers: bearer(ro.token) });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: "forbidden" });
    // A write token needs no CSRF header: it is not a cookie.
    const allowed = await s.client().patch("/api/me", { displayName: "Écrit" }, { headers: bearer(rw.token) });
    expect(allowed.status, allowed.text).toBe(200);
    const me = await s.client().get<{ user: { displayName: string } }>("/api/me", { headers: bearer(ro.token) });
    expect(me.body.user.displayName).toBe("Écrit");
  });

  it("revoking another app token takes the admin scope: read and write tokens are refused", async () => {
    const { client } = await s.signedIn({ role: "admin" });
    const other = await newToken(client, ["read"], "victim");
    for (const scope of ["read", "write"] as const) {
      const t = await newToken(client, [scope]);
      const r = await s.client().delete(`/api/me/tokens/${other.id}`, { headers: bearer(t.token) });
      expect(r.status, scope).toBe(403);
      expect((await s.client().get("/api/me", { headers: bearer(other.token) })).status).toBe(200);
    }
    const admin = await newToken(client, ["admin"]);
    expect((await s.client().delete(`/api/me/tokens/${other.id}`, { headers: bearer(admin.token) })).status).toBe(204);
    expect((await s.client().get("/api/me", { headers: bearer(other.token) })).status).toBe(401);
  });

  it("a token can never create another token", async () => {
    const { client } = await s.signedIn({ role: "admin" });
    const t = await newToken(client, ["admin"]);
    const r = await s
      .client()
      .post("/api/me/tokens", { name: "child", scopes: ["read"] }, { headers: bearer(t.token) });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ code: "forbidden" });
    const list = await client.get<{ items: unknown[] }>("/api/me/tokens");
    expect(list.body.items).toHaveLength(1);
  });

  it("admin scope only for administrators", async () => {
    const member = await s.signedIn();
    const r = await member.client.post("/api/me/tokens", { name: "root", scopes: ["admin"] });
    expect(r.status).toBe(403);
    expect((await member.client.get<{ items: unknown[] }>("/api/me/tokens")).body.items).toHaveLength(0);
    const admin = await s.signedIn({ role: "admin" });
    const ok = await admin.client.post<CreatedToken>("/api/me/tokens", { name: "root", scopes: ["admin"] });
    expect(ok.status).toBe(201);
    expect(ok.body.scopes).toEqual(["admin"]);
  });

  it("rejects bad input with 400 and creates nothing", async () => {
    const { client } = await s.signedIn();
    for (const body of [
      {},
      { name: "", scopes: ["read"] },
      { name: "x", scopes: [] },
      { name: "x", scopes: ["root"] },
      { name: "x".repeat(81), scopes: ["read"] },
    ]) {
      const r = await client.post("/api/me/tokens", body);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: "validation" });
    }
    expect((await client.delete("/api/me/tokens/not-a-uuid")).status).toBe(400);
    expect((await client.get<{ items: unknown[] }>("/api/me/tokens")).body.items).toHaveLength(0);
  });

  it("revoked token answers 401 with WWW-Authenticate", async () => {
    const { client } = await s.signedIn();
    const t = await newToken(client, ["read", "write"]);
    expect((await client.delete(`/api/me/tokens/${t.id}`)).status).toBe(204);
    const r = await s.client().get("/api/me", { headers: bearer(t.token) });
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toMatch(/^Basic realm="Ensemble"/);
    expect(r.body).toMatchObject({ code: "unauthenticated" });
    expect((await client.get<{ items: unknown[] }>("/api/me/tokens")).body.items).toHaveLength(0);
    expect((await client.delete(`/api/me/tokens/${t.id}`)).status).toBe(404);
  });

  it("someone else's token is not found and stays valid", async () => {
    const alice = await s.signedIn();
    const bob = await s.signedIn();
    const t = await newToken(alice.client, ["read"]);
    const r = await bob.client.delete(`/api/me/tokens/${t.id}`);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: "not_found" });
    expect((await bob.client.get<{ items: unknown[] }>("/api/me/tokens")).body.items).toHaveLength(0);
    expect((await s.client().get("/api/me", { headers: bearer(t.token) })).status).toBe(200);
  });

  it("a deactivated user's token answers 401", async () => {
    const { client, user } = await s.signedIn();
    const t = await newToken(client, ["read"]);
    await s.kernel.db.updateTable("users").set({ deactivated: 1 }).where("id", "=", user.id).execute();
    const r = await s.client().get("/api/me", { headers: bearer(t.token) });
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toMatch(/Basic/);
  });

  it("anonymous callers get 401", async () => {
    expect((await s.client().get("/api/me/tokens")).status).toBe(401);
    expect((await s.client().post("/api/me/tokens", { name: "x", scopes: ["read"] })).status).toBe(401);
  });

  it("never writes a token value to the logs", async () => {
    const { client, user } = await s.signedIn();
    const t = await newToken(client, ["read", "write"]);
    await s.client().get("/api/me", { headers: bearer(t.token) });
    await s.client().get("/api/me", { headers: basic(user.username, t.token) });
    await s.client().get("/api/me/tokens?token=" + encodeURIComponent(t.token), { headers: bearer(t.token) });
    await client.delete(`/api/me/tokens/${t.id}`);
    await s.client().get("/api/me", { headers: bearer(t.token) });
    // The capture works: the requests above were logged...
    expect(logs).toContain("/api/me/tokens");
    expect(logs.split("\n").filter(Boolean).length).toBeGreaterThan(5);
    // ...and no form of the secret was.
    const secret = t.token.slice(4);
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain(Buffer.from(`${user.username}:${t.token}`).toString("base64"));
    expect(logs).not.toContain(client.cookies.get("ensemble_session")!);
  });
});
