import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "otplib";
import { startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";

/**
 * Codes are made for the current 30 s step or the next one: both stay inside
 * the server's ±1 step window even if a step boundary passes meanwhile.
 */
const codeAt = (secret: string, offset: 0 | 1) =>
  generate({ secret, epoch: (Math.floor(Date.now() / 30_000) + offset) * 30 + 1 });

const env = { RATE_LIMIT_SIGNIN_PER_MIN: "1000", LOCKOUT_THRESHOLD: "100" };

async function enrol(c: TestClient): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await c.post<{ secret: string }>("/api/me/two-factor/setup");
  expect(setup.status).toBe(200);
  const enable = await c.post<{ recoveryCodes: string[] }>("/api/me/two-factor/enable", {
    code: await codeAt(setup.body.secret, 0),
  });
  expect(enable.status).toBe(200);
  return { secret: setup.body.secret, recoveryCodes: enable.body.recoveryCodes };
}

describe("two-factor authentication", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ env });
  });
  afterAll(async () => s.close());

  const signIn = (login: string, password: string, extra: Record<string, string> = {}) =>
    s.client().post("/api/auth/sign-in", { login, password, ...extra });

  it("enrols with a QR code and a first code, and shows ten recovery codes once", async () => {
    const { client: c } = await s.signedIn();
    expect((await c.get("/api/me/two-factor")).body).toEqual({ enabled: false, recoveryCodesLeft: 0 });
    const setup = await c.post<{ secret: string; otpauthUri: string; qrCode: string }>("/api/me/two-factor/setup");
    expect(setup.status).toBe(200);
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Ensemble:.+\?.*secret=/);
    expect(setup.body.qrCode).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(setup.body.qrCode.split(",")[1]!, "base64");
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");

    const wrong = await c.post("/api/me/two-factor/enable", {
      code: "000000" === (await codeAt(setup.body.secret, 0)) ? "111111" : "000000",
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ code: "invalid_two_factor_code" });
    expect((await c.get("/api/me/two-factor")).body).toMatchObject({ enabled: false });

    const enable = await c.post<{ recoveryCodes: string[] }>("/api/me/two-factor/enable", {
      code: await codeAt(setup.body.secret, 0),
    });
    expect(enable.status).toBe(200);
    expect(enable.body.recoveryCodes).toHaveLength(10);
    expect(new Set(enable.body.recoveryCodes).size).toBe(10);
    expect((await c.get("/api/me/two-factor")).body).toEqual({ enabled: true, recoveryCodesLeft: 10 });
    expect((await c.get("/api/me")).body).toMatchObject({ user: { twoFactorEnabled: true } });
    expect((await c.post("/api/me/two-factor/setup")).status).toBe(409);
  });

  it("asks for a code at sign-in, refuses a wrong one and never accepts a code twice", async () => {
    const { client: c, user } = await s.signedIn();
    const { secret } = await enrol(c);
    expect((await signIn(user.username, user.password)).body).toMatchObject({ code: "two_factor_required" });
    const next = await codeAt(secret, 1);
    const bad = next === "123456" ? "654321" : "123456";
    expect((await signIn(user.username, user.password, { totp: bad })).body).toMatchObject({
      code: "invalid_two_factor_code",
    });
    expect((await signIn(user.username, user.password, { totp: next })).status).toBe(200);
    const replay = await signIn(user.username, user.password, { totp: next });
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ code: "invalid_two_factor_code" });
    // An older step than the last one used is refused too.
    expect((await signIn(user.username, user.password, { totp: await codeAt(secret, 0) })).status).toBe(401);
  });

  it("accepts each recovery code once, however it is typed", async () => {
    const { client: c, user } = await s.signedIn();
    const { recoveryCodes } = await enrol(c);
    const typed = ` ${recoveryCodes[3]!.toUpperCase().replace("-", " - ")} `;
    expect((await signIn(user.username, user.password, { recoveryCode: typed })).status).toBe(200);
    expect((await signIn(user.username, user.password, { recoveryCode: recoveryCodes[3]! })).status).toBe(401);
    expect((await c.get("/api/me/two-factor")).body).toEqual({ enabled: true, recoveryCodesLeft: 9 });
  });

  it("regenerates recovery codes with a current code; the old ones stop working", async () => {
    const { client: c, user } = await s.signedIn();
    const { secret, recoveryCodes: old } = await enrol(c);
    const wrong = await c.post("/api/me/two-factor/recovery-codes", { code: await codeAt(secret, 0) });
    expect(wrong.status).toBe(422); // already used by the enrolment
    const r = await c.post<{ recoveryCodes: string[] }>("/api/me/two-factor/recovery-codes", {
      code: await codeAt(secret, 1),
    });
    expect(r.status).toBe(200);
    expect(r.body.recoveryCodes).toHaveLength(10);
    expect(r.body.recoveryCodes).not.toContain(old[0]);
    expect((await signIn(user.username, user.password, { recoveryCode: old[0]! })).status).toBe(401);
    expect((await signIn(user.username, user.password, { recoveryCode: r.body.recoveryCodes[0]! })).status).toBe(200);
  });

  it("disables with the password, not with a wrong one", async () => {
    const { client: c, user } = await s.signedIn();
    await enrol(c);
    const wrong = await c.post("/api/me/two-factor/disable", { password: "not-my-password" });
    expect(wrong.status).toBe(422);
    expect((await c.get("/api/me/two-factor")).body).toMatchObject({ enabled: true });
    expect((await c.post("/api/me/two-factor/disable", { password: user.password })).status).toBe(204);
    expect((await c.get("/api/me/two-factor")).body).toEqual({ enabled: false, recoveryCodesLeft: 0 });
    expect((await signIn(user.username, user.password)).status).toBe(200);
    expect((await c.post("/api/me/two-factor/disable", { password: user.password })).body).toMatchObject({
      code: "two_factor_not_enabled",
    });
  });

  it("records enrolment and turning it off in the audit log, with no secret", async () => {
    const { client: c, user } = await s.signedIn();
    const { secret, recoveryCodes } = await enrol(c);
    expect((await c.post("/api/me/two-factor/disable", { password: user.password })).status).toBe(204);
    const { client: admin } = await s.signedIn({ role: "admin" });
    const entries = async () =>
      (
        await admin.get<{ items: { action: string; target: unknown; actor: { id: string } | null }[] }>(
          `/api/admin/audit?actor=${user.id}&action=accounts.user.*`,
        )
      ).body.items;
    await waitFor(async () => (await entries()).length === 2, "the two audit entries");
    const items = await entries();
    expect(items.map((e) => e.action)).toEqual([
      "accounts.user.two_factor_disabled",
      "accounts.user.two_factor_enabled",
    ]);
    for (const e of items) expect(e).toMatchObject({ actor: { id: user.id }, target: { type: "user", id: user.id } });
    const text = JSON.stringify(items);
    for (const v of [secret, ...recoveryCodes]) expect(text).not.toContain(v);
  });

  it("disables with a recovery code", async () => {
    const { client: c, user } = await s.signedIn();
    const { recoveryCodes } = await enrol(c);
    expect((await c.post("/api/me/two-factor/disable", { code: recoveryCodes[0] })).status).toBe(204);
    expect((await signIn(user.username, user.password)).status).toBe(200);
  });

  it("answers bad input with 4xx problem+json and changes nothing", async () => {
    const { client: c } = await s.signedIn();
    expect((await c.post("/api/me/two-factor/enable", { code: "123456" })).body).toMatchObject({
      code: "two_factor_not_enabled",
    });
    const { secret } = await enrol(c);
    for (const [url, body] of [
      ["/api/me/two-factor/enable", { code: "12345a" }],
      ["/api/me/two-factor/disable", {}],
      ["/api/me/two-factor/disable", { code: 12 }],
      ["/api/me/two-factor/recovery-codes", {}],
      ["/api/me/two-factor/recovery-codes", { code: "1234567" }],
    ] as const) {
      const r = await c.post(url, body);
      expect(r.status, `${url} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.headers.get("content-type")).toMatch(/problem\+json/);
    }
    expect((await c.get("/api/me/two-factor")).body).toEqual({ enabled: true, recoveryCodesLeft: 10 });
    expect((await c.post("/api/me/two-factor/recovery-codes", { code: await codeAt(secret, 1) })).status).toBe(200);
  });

  it("refuses changes from an app token", async () => {
    const { client: c } = await s.signedIn();
    const t = await c.post<{ token: string }>("/api/me/tokens", { name: "script", scopes: ["write"] });
    expect(t.status).toBe(201);
    const bearer = s.client();
    bearer.headers.authorization = `Bearer ${t.body.token}`;
    expect((await bearer.post("/api/me/two-factor/setup")).status).toBe(403);
    expect((await bearer.get("/api/me/two-factor")).status).toBe(200);
  });
});

describe("two-factor required by the organisation", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ env });
  });
  afterAll(async () => s.close());

  it("confines a session that has not enrolled to enrolment, then lets it through", async () => {
    await s.kernel.settings.update({ requireTwoFactor: "everyone" });
    const u = await s.createUser();
    const c = s.client();
    const r = await c.post("/api/auth/sign-in", { login: u.username, password: u.password });
    expect(r.body).toMatchObject({ mustEnrolTwoFactor: true });
    expect((await c.get("/api/me")).status).toBe(200);
    expect((await c.get("/api/setup")).status).toBe(200); // public routes stay public
    const blocked = await c.get("/api/me/sessions");
    expect(blocked.status).toBe(403);
    expect(blocked.headers.get("content-type")).toMatch(/problem\+json/);
    expect(blocked.body).toMatchObject({ code: "two_factor_enrolment_required" });
    expect((await c.patch("/api/me", { statusMessage: "hello" })).status).toBe(403);
    expect((await c.get("/api/me")).body).toMatchObject({ user: { statusMessage: "" } });

    await enrol(c);
    expect((await c.get("/api/me/sessions")).status).toBe(200);
    expect((await c.patch("/api/me", { statusMessage: "hello" })).status).toBe(200);
    expect((await c.post("/api/auth/sign-out")).status).toBe(204);
  });

  it("with 'admins', confines admins only", async () => {
    await s.kernel.settings.update({ requireTwoFactor: "admins" });
    const { client: member } = await s.signedIn();
    const { client: admin } = await s.signedIn({ role: "admin" });
    expect((await member.get("/api/me/sessions")).status).toBe(200);
    expect((await admin.get("/api/me/sessions")).body).toMatchObject({ code: "two_factor_enrolment_required" });
    expect((await admin.get("/api/me/two-factor")).status).toBe(200);
    await s.kernel.settings.update({ requireTwoFactor: "off" });
    expect((await admin.get("/api/me/sessions")).status).toBe(200);
  });
});
