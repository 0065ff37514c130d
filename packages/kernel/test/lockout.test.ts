import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "otplib";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { ACCOUNT_FACTOR } from "../src/accounts/lockout.ts";

// Addresses come from X-Forwarded-For, as behind the reverse proxy TRUST_PROXY is meant for.
const THRESHOLD = 3;
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({
    env: {
      TRUST_PROXY: "true",
      LOCKOUT_THRESHOLD: String(THRESHOLD),
      LOCKOUT_MINUTES: "7",
      RATE_LIMIT_SIGNIN_PER_MIN: "1000",
    },
  });
});
afterAll(async () => s.close());

const signIn = (from: string, login: string, password: string, extra: Record<string, string> = {}) =>
  s.client().post("/api/auth/sign-in", { login, password, ...extra }, { headers: { "x-forwarded-for": from } });

const pairRow = (userId: string, ip: string) =>
  s.kernel.db.selectFrom("auth_failures").selectAll().where("key", "=", `pair:user:${userId}@${ip}`).executeTakeFirst();

describe("lockout is no denial of service", () => {
  it("twenty failures from one address stop that address only: the owner signs in from elsewhere, neighbours behind it too", async () => {
    const victim = await s.createUser();
    const neighbour = await s.createUser();
    const attacker = "203.0.113.9";
    for (let i = 0; i < 20; i++) {
      const r = await signIn(attacker, victim.username, `guess-${i}`);
      expect(r.status).toBe(i < THRESHOLD ? 401 : 429);
    }
    for (let i = 0; i < 20; i++) expect((await signIn(attacker, `nobody-${i}`, "guess")).status).toBe(401);
    // The attacker's address is throttled on that account, whatever the password.
    const throttled = await signIn(attacker, victim.username, victim.password);
    expect(throttled.status).toBe(429);
    expect(throttled.body).toMatchObject({ code: "account_locked" });
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await signIn("198.51.100.7", victim.username, victim.password)).status).toBe(200);
    expect((await signIn(attacker, neighbour.username, neighbour.password)).status).toBe(200);
  });

  it("each failure past the threshold doubles the address's delay", async () => {
    const victim = await s.createUser();
    const ip = "203.0.113.20";
    for (let i = 0; i < THRESHOLD; i++) expect((await signIn(ip, victim.username, "wrong-password")).status).toBe(401);
    const first = await pairRow(victim.id, ip);
    const firstMs = Date.parse(first!.locked_until!) - Date.now();
    expect(firstMs).toBeGreaterThan(6 * 60_000);
    expect(firstMs).toBeLessThanOrEqual(7 * 60_000);
    // The delay ends (moved into the past here); the next failure waits twice as long.
    await s.kernel.db
      .updateTable("auth_failures")
      .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
      .where("key", "=", first!.key)
      .execute();
    expect((await signIn(ip, victim.username, "wrong-again")).status).toBe(401);
    const second = await pairRow(victim.id, ip);
    const secondMs = Date.parse(second!.locked_until!) - Date.now();
    expect(secondMs).toBeGreaterThan(13 * 60_000);
    expect(secondMs).toBeLessThanOrEqual(14 * 60_000);
  });

  it("a distributed attack locks the account, except to both factors from an address that has not failed", async () => {
    const { client, user } = await s.signedIn();
    const setup = await client.post<{ secret: string }>("/api/me/two-factor/setup");
    const code = await generate({ secret: setup.body.secret });
    const enabled = await client.post<{ recoveryCodes: string[] }>("/api/me/two-factor/enable", { code });
    expect(enabled.status).toBe(200);
    const [rc1, rc2] = enabled.body.recoveryCodes;
    const plain = await s.createUser();
    for (const target of [user.username, plain.username])
      for (let i = 0; i < THRESHOLD * ACCOUNT_FACTOR; i++)
        expect((await signIn(`198.18.${i}.1`, target, `botnet-${i}`)).status).toBe(401);

    const clean = "192.0.2.44";
    // The password alone, or a failing address even with both factors, meets the lock; a wrong factor says nothing more.
    expect((await signIn(clean, user.username, user.password)).body).toMatchObject({ code: "account_locked" });
    expect((await signIn(clean, plain.username, plain.password)).body).toMatchObject({ code: "account_locked" });
    const failed = await signIn("198.18.0.1", user.username, user.password, { recoveryCode: rc1! });
    expect(failed.body).toMatchObject({ code: "account_locked" });
    expect((await signIn("192.0.2.45", user.username, "wrong-password", { recoveryCode: rc1! })).status).toBe(429);
    expect((await signIn(clean, user.username, user.password, { recoveryCode: rc2! })).status).toBe(200);
  });
});
