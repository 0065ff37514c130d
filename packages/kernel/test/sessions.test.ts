import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import { runMatrix, type MatrixContext } from "@ensemble/testkit/matrix";

const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const CHROME_ANDROID =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
const SAFARI_MAC =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";

interface SessionView {
  id: string;
  device: string;
  browser: string | null;
  os: string | null;
  ip: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  current: boolean;
}

describe("sessions", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ env: { RATE_LIMIT_SIGNIN_PER_MIN: "1000" } });
  });
  afterAll(async () => s.close());

  /** One user signed in from several browsers. */
  async function devices(...agents: string[]): Promise<TestClient[]> {
    const u = await s.createUser();
    const clients: TestClient[] = [];
    for (const ua of agents) {
      const c = s.client();
      c.headers["user-agent"] = ua;
      expect((await c.post("/api/auth/sign-in", { login: u.username, password: u.password })).status).toBe(200);
      clients.push(c);
    }
    return clients;
  }

  const list = async (c: TestClient) => {
    const r = await c.get<{ sessions: SessionView[] }>("/api/me/sessions");
    expect(r.status).toBe(200);
    return r.body.sessions;
  };

  it("lists my sessions with device, address, dates and which one is this", async () => {
    const [firefox, chrome] = await devices(FIREFOX_WINDOWS, CHROME_ANDROID, SAFARI_MAC);
    const sessions = await list(firefox!);
    expect(sessions).toHaveLength(3);
    expect(sessions.map((x) => x.device).sort()).toEqual([
      "Chrome on Android",
      "Firefox on Windows",
      "Safari on macOS",
    ]);
    const current = sessions.filter((x) => x.current);
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({
      device: "Firefox on Windows",
      browser: "Firefox",
      os: "Windows",
      ip: "127.0.0.1",
    });
    expect(Date.parse(current[0]!.createdAt)).not.toBeNaN();
    expect(Date.parse(current[0]!.lastUsedAt)).not.toBeNaN();
    expect(Object.keys(current[0]!).sort()).toEqual([
      "browser",
      "createdAt",
      "current",
      "device",
      "expiresAt",
      "id",
      "ip",
      "lastUsedAt",
      "os",
    ]);
    expect((await list(chrome!)).find((x) => x.current)?.device).toBe("Chrome on Android");
  });

  it("ends another of my sessions", async () => {
    const [a, b] = await devices(FIREFOX_WINDOWS, CHROME_ANDROID);
    const other = (await list(a!)).find((x) => !x.current)!;
    expect((await a!.delete(`/api/me/sessions/${other.id}`)).status).toBe(204);
    expect((await b!.get("/api/me")).status).toBe(401);
    expect(await list(a!)).toHaveLength(1);
    expect((await a!.delete(`/api/me/sessions/${other.id}`)).status).toBe(404);
  });

  it("ends this session and clears its cookie", async () => {
    const [a] = await devices(FIREFOX_WINDOWS);
    const me = (await list(a!))[0]!;
    const r = await a!.delete(`/api/me/sessions/${me.id}`);
    expect(r.status).toBe(204);
    expect(r.headers.get("set-cookie")).toMatch(/ensemble_session=;/);
    expect((await a!.get("/api/me")).status).toBe(401);
  });

  it("answers 404 for someone else's session and leaves it alone", async () => {
    const [mine] = await devices(FIREFOX_WINDOWS);
    const [theirs] = await devices(CHROME_ANDROID);
    const theirId = (await list(theirs!))[0]!.id;
    const r = await mine!.delete(`/api/me/sessions/${theirId}`);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: "not_found" });
    expect((await theirs!.get("/api/me")).status).toBe(200);
    expect((await list(mine!)).map((x) => x.id)).not.toContain(theirId);
  });

  it("ends all my other sessions, or all of them", async () => {
    const [a, b, c] = await devices(FIREFOX_WINDOWS, CHROME_ANDROID, SAFARI_MAC);
    const r = await a!.post("/api/me/sessions/revoke-all");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ revoked: 2 });
    expect((await b!.get("/api/me")).status).toBe(401);
    expect((await c!.get("/api/me")).status).toBe(401);
    expect((await a!.get("/api/me")).status).toBe(200);

    const [d, e] = await devices(FIREFOX_WINDOWS, CHROME_ANDROID);
    expect((await d!.post("/api/me/sessions/revoke-all", { includeCurrent: true })).body).toEqual({ revoked: 2 });
    expect((await d!.get("/api/me")).status).toBe(401);
    expect((await e!.get("/api/me")).status).toBe(401);
  });

  it("does not touch other users' sessions when ending all mine", async () => {
    const [a] = await devices(FIREFOX_WINDOWS);
    const [other] = await devices(FIREFOX_WINDOWS);
    await a!.post("/api/me/sessions/revoke-all", { includeCurrent: true });
    expect((await other!.get("/api/me")).status).toBe(200);
  });

  it("answers bad input with 4xx problem+json and ends nothing", async () => {
    const [a, b] = await devices(FIREFOX_WINDOWS, CHROME_ANDROID);
    for (const r of [
      await a!.delete("/api/me/sessions/not-a-uuid"),
      await a!.delete("/api/me/sessions/01890000-0000-7000-8000-000000000000"),
      await a!.post("/api/me/sessions/revoke-all", { includeCurrent: "yes" }),
      await a!.post("/api/me/sessions/revoke-all", [1, 2]),
      await s.client().get("/api/me/sessions"),
    ]) {
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.headers.get("content-type")).toMatch(/problem\+json/);
    }
    expect((await b!.get("/api/me")).status).toBe(200);
    expect(await list(a!)).toHaveLength(2);
  });

  it("enforces the actor × action matrix", async () => {
    /** A member's own browser session: only they may end it; everyone else is told it does not exist. */
    const fixture = async (ctx: MatrixContext) => {
      const owner = await ctx.newUser("member");
      const id = (await list(owner.client))[0]!.id;
      return { id, actors: { owner: owner.client } };
    };
    await runMatrix<Awaited<ReturnType<typeof fixture>>>(s, {
      resource: "session",
      setup: fixture,
      rows: [
        {
          action: "list mine",
          request: () => ({ method: "GET", path: "/api/me/sessions" }),
          expect: { anonymous: "auth", guest: "allow", member: "allow", owner: "allow", admin: "allow" },
        },
        {
          action: "revoke",
          request: (f) => ({ method: "DELETE", path: `/api/me/sessions/${f.id}` }),
          expect: { anonymous: "auth", guest: "hidden", member: "hidden", owner: "allow", admin: "hidden" },
        },
        {
          action: "revoke all mine",
          request: () => ({ method: "POST", path: "/api/me/sessions/revoke-all", body: {} }),
          expect: { anonymous: "auth", guest: "allow", member: "allow", owner: "allow", admin: "allow" },
        },
      ],
    });
  });

  it("lists sessions to an app token, none of them current", async () => {
    const [a] = await devices(FIREFOX_WINDOWS);
    const t = await a!.post<{ token: string }>("/api/me/tokens", { name: "script", scopes: ["read"] });
    const bearer = s.client();
    bearer.headers.authorization = `Bearer ${t.body.token}`;
    const sessions = await list(bearer);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.current).toBe(false);
    expect((await bearer.post("/api/me/sessions/revoke-all")).status).toBe(403);
  });

  it("a read/write app token cannot sign its owner out; an administrator's admin-scoped token can", async () => {
    const [browser] = await devices(FIREFOX_WINDOWS, CHROME_ANDROID);
    const t = await browser!.post<{ token: string }>("/api/me/tokens", { name: "sync", scopes: ["read", "write"] });
    const sync = s.client();
    sync.headers.authorization = `Bearer ${t.body.token}`;
    const before = await list(browser!);
    const all = await sync.post<{ code: string }>("/api/me/sessions/revoke-all", { includeCurrent: true });
    expect(all.status).toBe(403);
    expect(all.body.code).toBe("forbidden");
    expect((await sync.delete(`/api/me/sessions/${before[0]!.id}`)).status).toBe(403);
    expect(await list(browser!)).toEqual(before.map((x) => ({ ...x, lastUsedAt: expect.any(String) })));

    const admin = await s.signedIn({ role: "admin" });
    const mint = await admin.client.post<{ token: string }>("/api/me/tokens", { name: "ops", scopes: ["admin"] });
    expect(mint.status).toBe(201);
    const ops = s.client();
    ops.headers.authorization = `Bearer ${mint.body.token}`;
    const r = await ops.post<{ revoked: number }>("/api/me/sessions/revoke-all", { includeCurrent: true });
    expect(r.status).toBe(200);
    expect(r.body.revoked).toBe(1);
    expect((await admin.client.get("/api/me")).status).toBe(401);
  });
});
