import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startSmtpServer,
  startTestServer,
  type ReceivedMail,
  type TestServer,
  type TestSmtpServer,
} from "@ensemble/testkit";

const NEW_PASSWORD = "Brand-New-Lantern-77";

const tokenFrom = (m: ReceivedMail): string => {
  const match = /\/reset-password#token=([A-Za-z0-9_-]+)/.exec(m.text);
  if (!match?.[1]) throw new Error(`no reset link in: ${m.text}`);
  return match[1];
};

describe("password reset by e-mail", () => {
  let smtp: TestSmtpServer;
  let s: TestServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    s = await startTestServer({
      env: { SMTP_URL: smtp.url, PUBLIC_URL: "https://ensemble.example.org", RATE_LIMIT_SIGNIN_PER_MIN: "200" },
    });
  });
  afterAll(async () => {
    await s.close();
    await smtp.close();
  });

  const requestReset = async (login: string, email: string) => {
    const r = await s.client().post("/api/auth/password-reset/request", { login });
    expect(r.status).toBe(202);
    return smtp.waitForMail((m) => m.to.includes(email));
  };

  it("mails a single-use link that sets a new password and ends every session", async () => {
    const { client: old, user } = await s.signedIn();
    const mail = await requestReset(user.username, `${user.username}@example.org`);
    expect(mail.subject).toMatch(/mot de passe/i);
    expect(mail.text).toContain("https://ensemble.example.org/reset-password#token=");
    const token = tokenFrom(mail);

    const c = s.client();
    expect((await c.post("/api/auth/password-reset/confirm", { token, password: NEW_PASSWORD })).status).toBe(204);
    expect((await old.get("/api/me")).status).toBe(401);
    expect((await s.client().post("/api/auth/sign-in", { login: user.username, password: user.password })).status).toBe(
      401,
    );
    expect((await s.client().post("/api/auth/sign-in", { login: user.username, password: NEW_PASSWORD })).status).toBe(
      200,
    );

    const again = await c.post("/api/auth/password-reset/confirm", { token, password: "Another-Fresh-Pass-99" });
    expect(again.status).toBe(410);
    expect(again.body).toMatchObject({ code: "token_invalid" });
    expect((await s.client().post("/api/auth/sign-in", { login: user.username, password: NEW_PASSWORD })).status).toBe(
      200,
    );
  });

  it("finds the account by e-mail too and writes in the user's language", async () => {
    const u = await s.createUser();
    await s.kernel.db.updateTable("users").set({ locale: "en" }).where("id", "=", u.id).execute();
    const mail = await requestReset(u.email!.toUpperCase(), u.email!);
    expect(mail.subject).toBe("Reset your password");
  });

  it("answers 202 for an unknown login and sends nothing", async () => {
    const before = smtp.messages.length;
    const r = await s.client().post("/api/auth/password-reset/request", { login: "nobody-here" });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ accepted: true });
    // A known account's mail sent afterwards arrives; nothing for the unknown one came before it.
    const u = await s.createUser();
    await requestReset(u.username, u.email!);
    expect(
      smtp.messages
        .slice(before)
        .map((m) => m.to)
        .flat(),
    ).toEqual([u.email]);
  });

  it("refuses an expired link with 410 and keeps the password", async () => {
    const u = await s.createUser();
    const token = tokenFrom(await requestReset(u.username, u.email!));
    await s.kernel.db
      .updateTable("one_time_tokens")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("purpose", "=", "password_reset")
      .where("user_id", "=", u.id)
      .execute();
    const r = await s.client().post("/api/auth/password-reset/confirm", { token, password: NEW_PASSWORD });
    expect(r.status).toBe(410);
    expect(r.body).toMatchObject({ code: "token_invalid" });
    expect((await s.client().post("/api/auth/sign-in", { login: u.username, password: u.password })).status).toBe(200);
  });

  it("refuses a weak password without burning the link", async () => {
    const u = await s.createUser();
    const token = tokenFrom(await requestReset(u.username, u.email!));
    const weak = await s.client().post("/api/auth/password-reset/confirm", { token, password: "short" });
    expect(weak.status).toBe(422);
    expect(weak.headers.get("content-type")).toMatch(/problem\+json/);
    expect(weak.body).toMatchObject({ code: "weak_password" });
    expect((await s.client().post("/api/auth/password-reset/confirm", { token, password: NEW_PASSWORD })).status).toBe(
      204,
    );
  });

  it("a newer link replaces an older one", async () => {
    const u = await s.createUser();
    const first = tokenFrom(await requestReset(u.username, u.email!));
    const count = smtp.messages.length;
    await s.client().post("/api/auth/password-reset/request", { login: u.username });
    const second = tokenFrom(
      await smtp.waitForMail((m) => m.to.includes(u.email!) && smtp.messages.indexOf(m) >= count),
    );
    expect(second).not.toBe(first);
    expect(
      (await s.client().post("/api/auth/password-reset/confirm", { token: first, password: NEW_PASSWORD })).status,
    ).toBe(410);
    expect(
      (await s.client().post("/api/auth/password-reset/confirm", { token: second, password: NEW_PASSWORD })).status,
    ).toBe(204);
  });

  it("sends at most five links an hour to one account", async () => {
    const u = await s.createUser();
    const mine = () => smtp.messages.filter((m) => m.to.includes(u.email!)).length;
    for (let i = 1; i <= 5; i += 1) {
      await s.client().post("/api/auth/password-reset/request", { login: u.username });
      await smtp.waitForMail(() => mine() === i);
    }
    expect((await s.client().post("/api/auth/password-reset/request", { login: u.username })).status).toBe(202);
    // Requests are handled in order: once a later account's mail is in, the sixth was refused.
    const other = await s.createUser();
    await requestReset(other.username, other.email!);
    expect(mine()).toBe(5);
  });

  it("sends nothing to accounts without a local password (single sign-on)", async () => {
    const u = await s.createUser();
    await s.kernel.db.updateTable("users").set({ password_hash: null }).where("id", "=", u.id).execute();
    await s.client().post("/api/auth/password-reset/request", { login: u.username });
    const other = await s.createUser();
    await requestReset(other.username, other.email!);
    expect(smtp.messages.some((m) => m.to.includes(u.email!))).toBe(false);
  });

  it("answers bad input with 4xx problem+json", async () => {
    const c = s.client();
    for (const [url, body] of [
      ["/api/auth/password-reset/request", {}],
      ["/api/auth/password-reset/request", { login: "" }],
      ["/api/auth/password-reset/request", { login: 42 }],
      ["/api/auth/password-reset/confirm", { token: "x" }],
      ["/api/auth/password-reset/confirm", { token: "a".repeat(43), password: NEW_PASSWORD }],
    ] as const) {
      const r = await c.post(url, body);
      expect(r.status, `${url} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.headers.get("content-type")).toMatch(/problem\+json/);
    }
  });
});

describe("password reset rate limit", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ env: { RATE_LIMIT_SIGNIN_PER_MIN: "3" } });
  });
  afterAll(async () => s.close());

  it("limits requests per address", async () => {
    const c = s.client();
    const codes: number[] = [];
    for (let i = 0; i < 5; i += 1)
      codes.push((await c.post("/api/auth/password-reset/request", { login: `someone${i}` })).status);
    expect(codes.slice(0, 3)).toEqual([202, 202, 202]);
    expect(codes[4]).toBe(429);
  });
});
