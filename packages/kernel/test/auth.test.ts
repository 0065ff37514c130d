import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";

describe("sign-in and sign-out", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s.close());

  it("signs in with the right password and reaches /api/me", async () => {
    const u = await s.createUser();
    const c = s.client();
    const r = await c.post("/api/auth/sign-in", { login: u.username, password: u.password });
    expect(r.status).toBe(200);
    expect(r.headers.get("set-cookie")).toMatch(/ensemble_session=.*HttpOnly/i);
    const me = await c.get<{ user: { username: string } }>("/api/me");
    expect(me.body.user.username).toBe(u.username);
  });

  it("refuses a wrong password with a stable problem code", async () => {
    const u = await s.createUser();
    const r = await s.client().post("/api/auth/sign-in", { login: u.username, password: "not-the-password" });
    expect(r.status).toBe(401);
    expect(r.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(r.body).toMatchObject({ code: "invalid_credentials", status: 401 });
  });

  it("signs out: the session no longer authenticates", async () => {
    const { client } = await s.signedIn();
    const cookie = client.cookies.get("ensemble_session");
    expect((await client.post("/api/auth/sign-out")).status).toBe(204);
    const replay = s.client();
    replay.cookies.set("ensemble_session", cookie!);
    expect((await replay.get("/api/me")).status).toBe(401);
  });

  it("refuses a cookie-authenticated write without the CSRF header", async () => {
    const { client } = await s.signedIn();
    const r = await client.post("/api/auth/sign-out", {}, { csrf: false });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ code: "csrf_failed" });
    expect((await client.get("/api/me")).status).toBe(200);
  });
});
