import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOidcProvider, startTestServer, type TestOidcProvider, type TestServer } from "@ensemble/testkit";
import { sessionClient } from "@ensemble/testkit/matrix";

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

interface Entry {
  actor: { id: string } | null;
  action: string;
  target: { type: string; id: string } | null;
  ip: string | null;
  details: Record<string, unknown>;
}

/** Single sign-on sign-ins, successful and failed, are in the audit log with the address. */
describe("audit of OpenID Connect sign-ins", () => {
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
        OIDC_ALLOW_INSECURE: "true",
      },
    });
  });
  afterAll(async () => {
    await s?.close();
    await idp?.close();
  });

  it("records the success with the user and the failure with the reason", async () => {
    idp.accounts.set("agent-007", {
      sub: "agent-007",
      email: "agent007@example.org",
      email_verified: true,
      name: "Agent Sept",
      preferred_username: "agent007",
    });
    idp.loginAs("agent-007");
    const c = s.client();
    const start = await c.get("/api/auth/oidc/start");
    const callback = await idp.authorize(new URL(start.headers.get("location")!).href);
    expect((await c.get(callback.pathname + callback.search)).status).toBe(302);
    const me = await c.get<{ user: { id: string } }>("/api/me");
    expect((await s.client().get("/api/auth/oidc/callback?code=abc&state=never-issued-state")).status).toBe(401);

    const admin = await s.createUser({ role: "admin" });
    const ac = await sessionClient(s, admin.id);
    const r = await ac.get<{ items: Entry[] }>("/api/admin/audit?action=auth.sign_in.*");
    const ok = r.body.items.find((e) => e.action === "auth.sign_in.succeeded");
    expect(ok).toMatchObject({
      actor: { id: me.body.user.id },
      target: { type: "user", id: me.body.user.id },
      ip: "127.0.0.1",
      details: { method: "oidc", issuer: idp.issuer },
    });
    const failed = r.body.items.find((e) => e.action === "auth.sign_in.failed");
    expect(failed).toMatchObject({ actor: null, ip: "127.0.0.1", details: { method: "oidc", reason: "oidc_failed" } });
  });
});
