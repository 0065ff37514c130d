import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loggerOptions } from "@ensemble/kernel";
import { startTestServer, testRedisUrl, type TestServer } from "@ensemble/testkit";
import { rawRequest } from "./support/raw-request.ts";

const cspOf = (h: Headers) => h.get("content-security-policy") ?? "";
const directive = (csp: string, name: string) =>
  csp
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `));

describe("health, readiness, metrics, API description", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s.close());

  it("/healthz answers while the process lives", async () => {
    const r = await s.client().get("/healthz");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: "ok" });
  });

  it("/readyz is 200 with the database reachable and every migration applied, 503 when one is missing", async () => {
    const ok = await s.client().get("/readyz");
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "ready", database: true, migrations: true });

    // Forget the newest migration: the node must stop declaring itself ready.
    const db = s.kernel.db;
    const { rows } = await sql<{
      name: string;
      timestamp: string;
    }>`select name, timestamp from schema_migrations order by name desc limit 1`.execute(db);
    const last = rows[0]!;
    await sql`delete from schema_migrations where name = ${last.name}`.execute(db);
    const missing = await s.client().get("/readyz");
    expect(missing.status).toBe(503);
    expect(missing.body).toMatchObject({ status: "not ready", database: true, migrations: false });
    await sql`insert into schema_migrations (name, timestamp) values (${last.name}, ${last.timestamp})`.execute(db);
    expect((await s.client().get("/readyz")).status).toBe(200);
  });

  it("/metrics exposes HTTP latency, WebSocket connections, event-loop lag and database timings", async () => {
    await s.client().get("/api/me");
    const r = await s.client().get("/metrics");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = r.text;
    expect(text).toContain("# TYPE ensemble_http_request_duration_seconds histogram");
    expect(text).toMatch(
      /ensemble_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/api\/me",status="401"\} \d+/,
    );
    expect(text).toContain("# TYPE ensemble_websocket_connections gauge");
    expect(text).toMatch(/^ensemble_websocket_connections \d+/m);
    expect(text).toContain("# TYPE nodejs_eventloop_lag_seconds gauge");
    expect(text).toContain("# TYPE nodejs_eventloop_lag_p99_seconds gauge");
    expect(text).toContain("# TYPE ensemble_db_query_duration_seconds histogram");
    const dbCount = /^ensemble_db_query_duration_seconds_count (\d+)/m.exec(text);
    expect(Number(dbCount?.[1])).toBeGreaterThan(0);
  });

  it("/api/openapi.json is OpenAPI 3.1 and lists the routes with their credentials", async () => {
    const r = await s
      .client()
      .get<{ openapi: string; paths: Record<string, Record<string, { security?: unknown[] }>> }>("/api/openapi.json");
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe("3.1.0");
    expect(Object.keys(r.body.paths)).toEqual(
      expect.arrayContaining(["/api/auth/sign-in", "/api/auth/sign-out", "/api/me", "/api/setup"]),
    );
    expect(r.body.paths["/api/me"]?.get?.security).toEqual([{ session: [] }, { bearer: [] }, { basic: [] }]);
    expect(r.body.paths["/api/auth/sign-in"]?.post?.security).toEqual([]);
    // Operational endpoints are not part of the API description.
    expect(r.body.paths["/healthz"]).toBeUndefined();
  });

  it("/api/docs serves the browsable API description", async () => {
    const c = s.client();
    let r = await c.get("/api/docs");
    if (r.status >= 300 && r.status < 400)
      r = await c.get(new URL(r.headers.get("location")!, `${s.url}/api/docs`).pathname);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/text\/html/);
    expect(r.text).toMatch(/swagger/i);
    expect(directive(cspOf(r.headers), "script-src")).not.toMatch(/unsafe-inline/);
  });
});

describe("security headers", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s.close());

  it("every answer, errors included, carries a strict CSP and the security headers", async () => {
    const c = s.client();
    const answers = [
      await c.get("/healthz"),
      await c.get("/readyz"),
      await c.get("/metrics"),
      await c.get("/api/openapi.json"),
      await c.get("/api/setup"),
      await c.get("/api/me"), // 401
      await c.get("/api/no-such-route"), // 404
      await c.post("/api/auth/sign-in", {}), // 400 validation
      await c.request("POST", "/api/auth/sign-in", undefined, {
        raw: "{not json",
        headers: { "content-type": "application/json" },
      }), // 400
      await c.request("POST", "/api/auth/sign-in", undefined, {
        raw: "x",
        headers: { "content-type": "application/octet-stream" },
      }), // 415
      await c.get(`/api/me/tokens/${"x".repeat(2000)}`), // refused by the router before any hook
    ];
    const statuses = answers.map((a) => a.status);
    expect(statuses).toEqual(expect.arrayContaining([200, 400, 401, 404, 415]));
    for (const a of answers) {
      const csp = cspOf(a.headers);
      expect(directive(csp, "default-src")).toBe("default-src 'self'");
      expect(directive(csp, "script-src")).toBe("script-src 'self'");
      expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors 'none'");
      expect(directive(csp, "object-src")).toBe("object-src 'none'");
      expect(a.headers.get("x-content-type-options")).toBe("nosniff");
      expect(a.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      // Framing is decided by CSP frame-ancestors alone (no contradicting X-Frame-Options).
      expect(a.headers.get("x-frame-options")).toBeNull();
      expect(a.headers.get("permissions-policy")).toMatch(
        /camera=\(self\), microphone=\(self\), display-capture=\(self\), geolocation=\(\)/,
      );
      expect(a.headers.get("x-powered-by")).toBeNull();
    }
    const hsts = answers[0]!.headers.get("strict-transport-security");
    expect(hsts).toMatch(/max-age=\d+/);
    expect(answers[0]!.headers.get("cross-origin-opener-policy")).toBe("same-origin");
  });

  it("/api/me, which carries the CSRF token, is never cached", async () => {
    const { client } = await s.signedIn();
    const me = await client.get("/api/me");
    expect(me.status).toBe(200);
    expect(me.headers.get("cache-control")).toBe("no-store");
  });
});

describe("cross-site forms", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ env: { RATE_LIMIT_SIGNIN_PER_MIN: "1000" } });
  });
  afterAll(async () => s.close());

  it("cannot sign anyone in: JSON routes refuse the bodies an HTML form can send (login CSRF)", async () => {
    const u = await s.createUser();
    const creds = { login: u.username, password: u.password };
    const form = new URLSearchParams(creds).toString();
    const multipart = `--x\r\nContent-Disposition: form-data; name="login"\r\n\r\n${u.username}\r\n--x\r\nContent-Disposition: form-data; name="password"\r\n\r\n${u.password}\r\n--x--\r\n`;
    for (const [contentType, text] of [
      ["application/x-www-form-urlencoded", form],
      ["text/plain", JSON.stringify(creds)],
      ["multipart/form-data; boundary=x", multipart],
    ] as const) {
      const r = await rawRequest(s.url, "POST", "/api/auth/sign-in", {}, { contentType, text });
      expect(r.status, contentType).toBe(415);
      expect(JSON.parse(r.text)).toMatchObject({ code: "unsupported_media_type" });
      expect(r.headers["set-cookie"]).toBeUndefined();
    }
    const ok = await rawRequest(
      s.url,
      "POST",
      "/api/auth/sign-in",
      {},
      { contentType: "application/json; charset=utf-8", text: JSON.stringify(creds) },
    );
    expect(ok.status).toBe(200);
  });
});

describe("logs", () => {
  let s: TestServer;
  let logs = "";
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs += chunk.toString("utf8");
        done();
      },
    });
    s = await startTestServer({ env: { LOG_LEVEL: "info" }, log: pino(loggerOptions("info"), sink) });
  });
  afterAll(async () => s.close());

  it("never contain passwords, session or CSRF tokens, app tokens or cookies", async () => {
    const user = await s.createUser({ password: `Pw-${randomBytes(9).toString("hex")}` });
    const c = s.client();
    const wrong = `Wrong-${randomBytes(9).toString("hex")}`;
    expect((await c.post("/api/auth/sign-in", { login: user.username, password: wrong })).status).toBe(401);
    const signIn = await c.post("/api/auth/sign-in", { login: user.username, password: user.password });
    expect(signIn.status).toBe(200);
    const session = c.cookies.get("ensemble_session")!;
    const csrf = c.cookies.get("ensemble_csrf")!;
    expect((await c.get("/api/me")).status).toBe(200);
    // Secrets in a query string (OIDC codes, mistaken clients) stay out of the log too.
    expect((await c.get(`/api/me?access_token=${session}&password=${user.password}`)).status).toBe(200);
    const token = await c.post<{ token: string }>("/api/me/tokens", { name: "ops-test", scopes: ["read"] });
    expect(token.status).toBe(201);
    expect((await s.client().get("/api/me", { headers: { authorization: `Bearer ${token.body.token}` } })).status).toBe(
      200,
    );
    const basic = Buffer.from(`${user.username}:${token.body.token}`).toString("base64");
    expect((await s.client().get("/api/me", { headers: { authorization: `Basic ${basic}` } })).status).toBe(200);
    expect((await c.post("/api/auth/sign-out")).status).toBe(204);
    // A public link's page is a page of the web shell (or, without a build, no route): its token stays out too.
    const linkToken = randomBytes(32).toString("base64url");
    await s.client().get(`/s/${linkToken}`, { headers: { accept: "text/html" } });

    // The capture works: the requests above were logged.
    expect(logs).toContain("/api/auth/sign-in");
    expect(logs).toContain("/api/me");
    expect(logs).toContain("/s/[redacted]");
    for (const secret of [user.password, wrong, session, csrf, token.body.token, basic, linkToken]) {
      expect(logs.includes(secret), `a secret (${secret.slice(0, 4)}…) reached the log`).toBe(false);
    }
    expect(logs).not.toMatch(/ensemble_session=/);
    expect(logs).not.toMatch(/set-cookie/i);
  });
});

describe("sign-in rate limit", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ env: { RATE_LIMIT_SIGNIN_PER_MIN: "3" } });
  });
  afterAll(async () => s.close());

  it("answers 429 problem+json rate_limited with retry-after past the limit", async () => {
    const c = s.client();
    for (let i = 0; i < 3; i++) {
      expect((await c.post("/api/auth/sign-in", { login: `nobody${i}`, password: "whatever-it-is" })).status).toBe(401);
    }
    const r = await c.post("/api/auth/sign-in", { login: "nobody", password: "whatever-it-is" });
    expect(r.status).toBe(429);
    expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ code: "rate_limited", status: 429 });
    const retry = Number(r.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    // Other endpoints are not affected by the sign-in budget.
    expect((await c.get("/api/setup")).status).toBe(200);
  });
});

describe("sign-in rate limit shared through Redis", () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    // A namespace of our own: other suites on the same Redis keep their own counters.
    const env = {
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: `t${randomBytes(6).toString("hex")}:`,
      RATE_LIMIT_SIGNIN_PER_MIN: "4",
    };
    a = await startTestServer({ env });
    b = await startTestServer({ env });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("counts attempts on both nodes against one budget", async () => {
    const attempt = (s: TestServer) =>
      s.client().post("/api/auth/sign-in", { login: "nobody", password: "whatever-it-is" });
    expect((await attempt(a)).status).toBe(401);
    expect((await attempt(b)).status).toBe(401);
    expect((await attempt(a)).status).toBe(401);
    expect((await attempt(b)).status).toBe(401);
    const onA = await attempt(a);
    const onB = await attempt(b);
    expect(onA.status).toBe(429);
    expect(onB.status).toBe(429);
    expect(onB.body).toMatchObject({ code: "rate_limited" });
    expect(Number(onB.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("brute-force lockout per account and address", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({
      env: { LOCKOUT_THRESHOLD: "3", LOCKOUT_MINUTES: "7", RATE_LIMIT_SIGNIN_PER_MIN: "1000" },
    });
  });
  afterAll(async () => s.close());

  it("locks the account for the failing address after LOCKOUT_THRESHOLD failures, even against the right password, and only that account", async () => {
    const victim = await s.createUser();
    const bystander = await s.createUser();
    const c = s.client();
    for (let i = 0; i < 3; i++) {
      const r = await c.post("/api/auth/sign-in", { login: victim.username, password: `wrong-guess-${i}` });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ code: "invalid_credentials" });
    }
    const locked = await c.post("/api/auth/sign-in", { login: victim.username, password: victim.password });
    expect(locked.status).toBe(429);
    expect(locked.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(locked.body).toMatchObject({ code: "account_locked" });
    const retry = Number(locked.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(6 * 60);
    expect(retry).toBeLessThanOrEqual(7 * 60);
    // Case does not open a second door.
    expect(
      (await c.post("/api/auth/sign-in", { login: victim.username.toUpperCase(), password: victim.password })).status,
    ).toBe(429);
    // Nor does the e-mail address of the same account.
    expect((await c.post("/api/auth/sign-in", { login: victim.email, password: victim.password })).status).toBe(429);
    // No session was created for the victim while locked.
    expect(c.cookies.has("ensemble_session")).toBe(false);

    // Another account from the same address is unaffected (the address threshold is higher).
    const other = s.client();
    expect(
      (await other.post("/api/auth/sign-in", { login: bystander.username, password: bystander.password })).status,
    ).toBe(200);

    // The lock is recorded (for this account from this address) with its expiry; once that passes (moved into the past here), the right password works again.
    const row = await s.kernel.db
      .selectFrom("auth_failures")
      .selectAll()
      .where("key", "like", `pair:user:${victim.id}@%`)
      .executeTakeFirstOrThrow();
    const key = row.key;
    const until = Date.parse(row.locked_until!);
    expect(until - Date.now()).toBeGreaterThan(6 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(7 * 60_000);
    const past = new Date(Date.now() - 1000).toISOString();
    await s.kernel.db
      .updateTable("auth_failures")
      .set({ locked_until: past, first_at: past })
      .where("key", "=", key)
      .execute();
    const after = await s.client().post("/api/auth/sign-in", { login: victim.username, password: victim.password });
    expect(after.status).toBe(200);
    // Success clears the account's counter.
    expect(
      await s.kernel.db.selectFrom("auth_failures").select("key").where("key", "=", key).executeTakeFirst(),
    ).toBeUndefined();
    expect(
      await s.kernel.db
        .selectFrom("auth_failures")
        .select("key")
        .where("key", "=", `user:${victim.id}`)
        .executeTakeFirst(),
    ).toBeUndefined();
  });
});

describe("readiness after the database is gone", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s.close().catch(() => undefined));

  it("/readyz answers 503 once the database is closed, /healthz still 200", async () => {
    expect((await rawRequest(s.url, "GET", "/readyz", {}, null)).status).toBe(200);
    await s.kernel.database.close();
    const r = await rawRequest(s.url, "GET", "/readyz", {}, null);
    expect(r.status).toBe(503);
    expect(JSON.parse(r.text)).toMatchObject({ status: "not ready", database: false });
    expect((await rawRequest(s.url, "GET", "/healthz", {}, null)).status).toBe(200);
  });
});
