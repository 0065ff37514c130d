import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../src/accounts/secrets.ts";
import {
  startOidcProvider,
  startTestServer,
  type TestClient,
  type TestOidcProvider,
  type TestServer,
} from "@ensemble/testkit";

/** The relying party's redirect URI must be registered before it starts, so its port is chosen first. */
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

interface Me {
  user: { id: string; username: string; displayName: string; email: string | null; role: string; hasPassword: boolean };
}

describe("OpenID Connect sign-in against oidc-provider", () => {
  let idp: TestOidcProvider;
  let s: TestServer;

  beforeAll(async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    idp = await startOidcProvider({ redirectUris: [`${publicUrl}/api/auth/oidc/callback`] });
    s = await startTestServer({
      env: {
        PORT: String(port),
        PUBLIC_URL: publicUrl,
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: idp.clientId,
        OIDC_CLIENT_SECRET: idp.clientSecret,
        OIDC_NAME: "Compte Métropole",
        OIDC_ROLE_CLAIM: "roles",
        OIDC_ADMIN_VALUES: "ensemble-admin,it",
        OIDC_GUEST_VALUES: "ensemble-guest",
        OIDC_ALLOW_INSECURE: "true",
        SSO_ONLY: "true",
        RATE_LIMIT_PUBLIC_PER_MIN: "1000",
      },
    });
  });
  afterAll(async () => {
    await s?.close();
    await idp?.close();
  });

  /** Starts at the sign-in button and returns the browser and where the provider sends it back. */
  async function throughProvider(subject: string): Promise<{ c: TestClient; start: URL; callback: URL }> {
    idp.loginAs(subject);
    const c = s.client();
    const r = await c.get("/api/auth/oidc/start");
    expect(r.status).toBe(302);
    const start = new URL(r.headers.get("location")!);
    const callback = await idp.authorize(start.href);
    return { c, start, callback };
  }

  async function signIn(subject: string): Promise<{ c: TestClient; me: Me["user"] }> {
    const { c, callback } = await throughProvider(subject);
    expect(callback.origin).toBe(s.config.publicUrl);
    const r = await c.get(callback.pathname + callback.search);
    expect(r.status, r.text).toBe(302);
    expect(r.headers.get("location")).toBe("/");
    const me = await c.get<Me>("/api/me");
    expect(me.status).toBe(200);
    return { c, me: me.body.user };
  }

  const identities = (userId: string) =>
    s.kernel.db.selectFrom("identities").selectAll().where("user_id", "=", userId).execute();

  it("lists the provider and the SSO-only mode for the sign-in page", async () => {
    const r = await s.client().get("/api/auth/providers");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ oidc: { name: "Compte Métropole" }, ssoOnly: true });
  });

  it("redirects to the provider with PKCE (S256), state and nonce", async () => {
    const r = await s.client().get("/api/auth/oidc/start");
    expect(r.status).toBe(302);
    const u = new URL(r.headers.get("location")!);
    expect(u.origin).toBe(idp.issuer);
    expect(u.searchParams.get("client_id")).toBe(idp.clientId);
    expect(u.searchParams.get("redirect_uri")).toBe(`${s.config.publicUrl}/api/auth/oidc/callback`);
    expect(u.searchParams.get("code_challenge_method")).toBe("S256");
    expect(u.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(u.searchParams.get("state")).toMatch(/^[\w-]{20,}$/);
    expect(u.searchParams.get("nonce")).toMatch(/^[\w-]{20,}$/);
    expect(r.headers.get("set-cookie")).toMatch(/ensemble_oidc=.*HttpOnly/i);
  });

  it("provisions a new user just in time with the mapped role", async () => {
    idp.accounts.set("sub-alice", {
      preferred_username: "Alice.Dupont",
      name: "Alice Dupont",
      email: "Alice@Metropole.example",
      email_verified: true,
      roles: ["staff", "ensemble-admin"],
    });
    const { me } = await signIn("sub-alice");
    expect(me).toMatchObject({
      username: "alice.dupont",
      displayName: "Alice Dupont",
      email: "alice@metropole.example",
      role: "admin",
      hasPassword: false,
    });
    const ids = await identities(me.id);
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatchObject({ issuer: idp.issuer, subject: "sub-alice" });
  });

  it("links the same account on the next sign-in and follows the role claim", async () => {
    idp.accounts.set("sub-bruno", {
      preferred_username: "bruno",
      name: "Bruno",
      email: "bruno@metropole.example",
      email_verified: true,
      roles: "it",
    });
    const first = await signIn("sub-bruno");
    expect(first.me.role).toBe("admin");
    idp.accounts.set("sub-bruno", {
      preferred_username: "bruno-renamed",
      name: "Bruno",
      email: "bruno@metropole.example",
      email_verified: true,
      roles: ["staff"],
    });
    const second = await signIn("sub-bruno");
    expect(second.me.id).toBe(first.me.id);
    expect(second.me.username).toBe("bruno");
    expect(second.me.role).toBe("member");
    expect(await identities(first.me.id)).toHaveLength(1);
    idp.accounts.set("sub-bruno", { preferred_username: "bruno", roles: "ensemble-guest" });
    expect((await signIn("sub-bruno")).me).toMatchObject({ id: first.me.id, role: "guest" });
  });

  it("links an existing local account with the same verified e-mail", async () => {
    const local = await s.createUser({ username: "chloe", email: "chloe@metropole.example" });
    idp.accounts.set("sub-chloe", {
      preferred_username: "c.martin",
      email: "chloe@metropole.example",
      email_verified: true,
    });
    const { me } = await signIn("sub-chloe");
    expect(me.id).toBe(local.id);
    expect(me.username).toBe("chloe");
    expect(me.role).toBe("member");
  });

  it("never links by an unverified e-mail; sanitises and de-duplicates the username", async () => {
    const local = await s.createUser({ username: "dede", email: "dede@metropole.example" });
    idp.accounts.set("sub-dede", {
      preferred_username: "Dédé",
      email: "dede@metropole.example",
      email_verified: false,
    });
    const { me } = await signIn("sub-dede");
    expect(me.id).not.toBe(local.id);
    expect(me.username).toBe("dede-2");
    expect(me.email).toBeNull();
    expect(me.displayName).toBe("Dédé");
  });

  it("refuses a forged state and changes nothing", async () => {
    idp.accounts.set("sub-eve", { preferred_username: "eve", email: "eve@metropole.example", email_verified: true });
    const { c, callback } = await throughProvider("sub-eve");
    const forged = new URL(callback);
    forged.searchParams.set("state", "forged-state-value-000000000000");
    const r = await c.get(forged.pathname + forged.search);
    expect(r.status).toBe(401);
    expect(r.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(r.body).toMatchObject({ code: "oidc_failed", detail: "unknown or already used sign-in attempt" });
    expect(c.cookies.has("ensemble_session")).toBe(false);
    expect((await c.get("/api/me")).status).toBe(401);
    expect(
      await s.kernel.db.selectFrom("users").select("id").where("username", "=", "eve").executeTakeFirst(),
    ).toBeUndefined();
  });

  it("refuses a callback in a browser other than the one that started", async () => {
    idp.accounts.set("sub-eve", { preferred_username: "eve" });
    const { callback } = await throughProvider("sub-eve");
    const other = s.client();
    const r = await other.get(callback.pathname + callback.search);
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ code: "oidc_failed", detail: "this sign-in was started in another browser" });
    expect(other.cookies.has("ensemble_session")).toBe(false);
  });

  it("refuses an ID token whose nonce is not the one this sign-in sent", async () => {
    idp.accounts.set("sub-eve", { preferred_username: "eve" });
    const { c, start, callback } = await throughProvider("sub-eve");
    // The provider signed the nonce it was given; the server now expects another one.
    await s.kernel.db
      .updateTable("oidc_states")
      .set({ nonce: "a-different-nonce-0000000000000000" })
      .where("state_hash", "=", sha256(start.searchParams.get("state")!))
      .execute();
    const r = await c.get(callback.pathname + callback.search);
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({
      code: "oidc_failed",
      detail: "the identity provider's response could not be verified",
    });
    expect((await c.get("/api/me")).status).toBe(401);
  });

  it("refuses a replayed callback", async () => {
    idp.accounts.set("sub-fanny", { preferred_username: "fanny" });
    const { c, callback } = await throughProvider("sub-fanny");
    expect((await c.get(callback.pathname + callback.search)).status).toBe(302);
    const replay = await c.get(callback.pathname + callback.search);
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ code: "oidc_failed", detail: "unknown or already used sign-in attempt" });
  });

  it("refuses a deactivated user", async () => {
    idp.accounts.set("sub-gaston", { preferred_username: "gaston" });
    const { me } = await signIn("sub-gaston");
    await s.kernel.db.updateTable("users").set({ deactivated: 1 }).where("id", "=", me.id).execute();
    const { c, callback } = await throughProvider("sub-gaston");
    const r = await c.get(callback.pathname + callback.search);
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ code: "oidc_failed", detail: "this account is deactivated" });
    expect(c.cookies.has("ensemble_session")).toBe(false);
  });

  it("SSO-only mode refuses password sign-in", async () => {
    const u = await s.createUser();
    const r = await s.client().post("/api/auth/sign-in", { login: u.username, password: u.password });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ code: "sso_only" });
  });
});

describe("without OpenID Connect configured", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s.close());

  it("offers no provider and answers 404 to the SSO endpoints", async () => {
    expect((await s.client().get("/api/auth/providers")).body).toEqual({ oidc: null, ssoOnly: false });
    const r = await s.client().get("/api/auth/oidc/start");
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: "not_found" });
    expect((await s.client().get("/api/auth/oidc/callback?state=x&code=y")).status).toBe(404);
  });
});

describe("with an unreachable identity provider", () => {
  let s: TestServer;
  beforeAll(async () => {
    const deadPort = await freePort();
    s = await startTestServer({
      env: {
        OIDC_ISSUER: `http://127.0.0.1:${deadPort}`,
        OIDC_CLIENT_ID: "x",
        OIDC_CLIENT_SECRET: "y",
        OIDC_ALLOW_INSECURE: "true",
      },
    });
  });
  afterAll(async () => s.close());

  it("answers 503 problem+json instead of crashing, and keeps no pending sign-in", async () => {
    const r = await s.client().get("/api/auth/oidc/start");
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ code: "unavailable" });
    expect(await s.kernel.db.selectFrom("oidc_states").selectAll().execute()).toHaveLength(0);
  });

  it("refuses a callback it never started", async () => {
    const r = await s.client().get("/api/auth/oidc/callback?code=abc&state=never-issued-state");
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ code: "oidc_failed" });
  });
});
