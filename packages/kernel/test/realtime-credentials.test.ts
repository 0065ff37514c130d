import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloseCodes } from "@ensemble/protocol";
import {
  realtimeClient,
  startSmtpServer,
  startTestServer,
  waitFor,
  type ReceivedMail,
  type TestClient,
  type TestServer,
  type TestSmtpServer,
} from "@ensemble/testkit";
import type { RealtimeClient } from "@ensemble/client";

/**
 * Credential and role changes reach open sockets at once, not at the next
 * heartbeat: the heartbeat is set far beyond the test's waits so that only
 * the immediate path can pass.
 */
describe("realtime: role and session changes on open sockets", () => {
  let smtp: TestSmtpServer;
  let s: TestServer;
  const clients: RealtimeClient[] = [];

  beforeAll(async () => {
    smtp = await startSmtpServer();
    s = await startTestServer({
      env: { SMTP_URL: smtp.url, WS_HEARTBEAT_MS: "600000", RATE_LIMIT_SIGNIN_PER_MIN: "1000" },
    });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await s.close();
    await smtp.close();
  });

  /** An open socket of this client, with the close codes it receives. */
  async function socket(as: TestClient) {
    const c = realtimeClient(s.url, as);
    clients.push(c);
    const closes: number[] = [];
    c.on("close", (e) => closes.push(e.code));
    await c.opened();
    return { c, closes };
  }

  async function signIn(user: { username: string; password: string }): Promise<TestClient> {
    const c = s.client();
    expect((await c.post("/api/auth/sign-in", { login: user.username, password: user.password })).status).toBe(200);
    return c;
  }

  it("reloads the role on reauthorize: a member demoted to guest loses a colleague's presence at once", async () => {
    const admin = await s.signedIn({ role: "admin" });
    const { client, user } = await s.signedIn();
    const colleague = await s.createUser();
    const { c } = await socket(client);
    const refused: string[] = [];
    const own: string[] = [];
    const presence = c.subscribe(`presence:${colleague.id}`, { onEvent: () => {}, onRefused: (r) => refused.push(r) });
    const mine = c.subscribe(`presence:${user.id}`, { onEvent: () => {}, onRefused: (r) => own.push(r) });
    await Promise.all([presence.ready, mine.ready]);

    expect((await admin.client.patch(`/api/admin/users/${user.id}`, { role: "guest" })).status).toBe(200);
    await waitFor(() => refused.includes("revoked"), "the colleague's presence revoked");
    expect(own).toEqual([]);
    expect(c.state).toBe("open");

    // Promoted back: the same socket may subscribe again once the new role reached it (asynchronously, through the bus).
    expect((await admin.client.patch(`/api/admin/users/${user.id}`, { role: "member" })).status).toBe(200);
    await waitFor(
      () =>
        c.subscribe(`presence:${colleague.id}`, { onEvent: () => {} }).ready.then(
          () => true,
          () => false,
        ),
      "the colleague's presence allowed again",
    );
  });

  it("sign-out closes that session's sockets at once (4003), not the same user's other session", async () => {
    const { client: a, user } = await s.signedIn();
    const b = await signIn(user);
    const sa = await socket(a);
    const sb = await socket(b);
    expect((await a.post("/api/auth/sign-out")).status).toBe(204);
    await waitFor(() => sa.closes.includes(CloseCodes.sessionEnded.code), "session A's socket closed with 4003");
    expect(sa.c.state).toBe("closed");
    // A ping round trip on B after A closed: B's socket is still served.
    const ok: string[] = [];
    await sb.c.subscribe(`user:${user.id}`, { onEvent: () => {}, onRefused: (r) => ok.push(r) }).ready;
    expect(ok).toEqual([]);
    expect(sb.closes).toEqual([]);
    expect(sb.c.state).toBe("open");
  });

  it("revoking one session closes its sockets only", async () => {
    const { client: a, user } = await s.signedIn();
    const b = await signIn(user);
    const sa = await socket(a);
    const sb = await socket(b);
    const list = await a.get<{ sessions: { id: string; current: boolean }[] }>("/api/me/sessions");
    const other = list.body.sessions.find((x) => !x.current)!;
    expect((await a.delete(`/api/me/sessions/${other.id}`)).status).toBe(204);
    await waitFor(() => sb.closes.includes(CloseCodes.sessionEnded.code), "session B's socket closed");
    await sa.c.subscribe(`user:${user.id}`, { onEvent: () => {} }).ready;
    expect(sa.closes).toEqual([]);
  });

  it("revoke-all closes every other session's sockets at once and keeps the current one", async () => {
    const { client: a, user } = await s.signedIn();
    const b = await signIn(user);
    const c2 = await signIn(user);
    const sa = await socket(a);
    const sb = await socket(b);
    const sc = await socket(c2);
    const r = await a.post<{ revoked: number }>("/api/me/sessions/revoke-all", {});
    expect(r.body).toEqual({ revoked: 2 });
    await waitFor(
      () => sb.closes.includes(CloseCodes.sessionEnded.code) && sc.closes.includes(CloseCodes.sessionEnded.code),
      "B and C closed",
    );
    await sa.c.subscribe(`user:${user.id}`, { onEvent: () => {} }).ready;
    expect(sa.closes).toEqual([]);
  });

  it("a password change closes the other sessions' sockets; a reset closes them all", async () => {
    const { client: a, user } = await s.signedIn();
    const b = await signIn(user);
    const sa = await socket(a);
    const sb = await socket(b);
    const NEW = "Fresh-Orchard-Lantern-58";
    expect((await a.post("/api/me/password", { current: user.password, new: NEW })).status).toBe(204);
    await waitFor(() => sb.closes.includes(CloseCodes.sessionEnded.code), "the other session's socket closed");
    await sa.c.subscribe(`user:${user.id}`, { onEvent: () => {} }).ready;
    expect(sa.closes).toEqual([]);

    expect((await s.client().post("/api/auth/password-reset/request", { login: user.username })).status).toBe(202);
    const mail: ReceivedMail = await smtp.waitForMail((m) => m.to.includes(`${user.username}@example.org`));
    const token = /\/reset-password#token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    expect(token).toBeTruthy();
    expect(
      (await s.client().post("/api/auth/password-reset/confirm", { token, password: "Another-Quiet-River-31" })).status,
    ).toBe(204);
    await waitFor(() => sa.closes.includes(CloseCodes.sessionEnded.code), "the remaining session's socket closed");
  });

  it("refuses /ws (4004) to a session that must first enrol in two-factor, like the HTTP API; a token still connects; reconnect() once allowed", async () => {
    const { client, user } = await s.signedIn();
    const tok = await client.post<{ token: string }>("/api/me/tokens", { name: "bot", scopes: ["read"] });
    expect(tok.status).toBe(201);
    await s.kernel.settings.update({ requireTwoFactor: "everyone" });
    const c = realtimeClient(s.url, client);
    clients.push(c);
    const closes: number[] = [];
    c.on("close", (e) => closes.push(e.code));
    try {
      expect((await client.get("/api/me/sessions")).body).toMatchObject({ code: "two_factor_enrolment_required" });
      await waitFor(() => closes.includes(CloseCodes.twoFactorRequired.code), "close 4004");
      expect(c.state).toBe("closed");
      const bot = realtimeClient(s.url, undefined, { token: tok.body.token });
      clients.push(bot);
      await bot.opened();
      expect(bot.userId).toBe(user.id);
    } finally {
      await s.kernel.settings.update({ requireTwoFactor: "off" });
    }
    // No longer required (as after enrolling): the same client opens again when asked.
    c.reconnect();
    await c.opened();
    expect(c.userId).toBe(user.id);
  });
});
