import { afterAll, beforeAll, describe, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { runMatrix, type MatrixContext } from "@ensemble/testkit/matrix";
import { createSession } from "../src/accounts/sessions.ts";
import { createAppToken } from "../src/accounts/app-tokens.ts";

/**
 * Sessions and app tokens belong to their user alone: nobody else, not even an
 * administrator, may list or end them through these routes (administrators
 * end them all at once by deactivating the account).
 */
describe("sessions and app tokens authorization matrices", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s.close());

  /** The owner, one more session, a read-only and a read/write token of theirs, and clients using them. */
  async function fixture(ctx: MatrixContext) {
    const owner = await ctx.newUser("member");
    const other = await createSession(s.kernel.db, owner.id, { userAgent: "second device", ip: "127.0.0.2" }, 1);
    const token = await createAppToken(s.kernel.db, owner.id, "lecture", ["read"]);
    const readToken = s.client();
    readToken.headers.authorization = `Bearer ${token.token}`;
    const writeToken = s.client();
    writeToken.headers.authorization = `Bearer ${(await createAppToken(s.kernel.db, owner.id, "sync", ["read", "write"])).token}`;
    return {
      sessionId: other.id,
      tokenId: token.id,
      actors: { owner: owner.client, ownerReadToken: readToken, ownerWriteToken: writeToken },
    };
  }

  it("sessions", async () => {
    await runMatrix(s, {
      resource: "session",
      extraActors: ["ownerReadToken", "ownerWriteToken"] as const,
      setup: fixture,
      rows: [
        {
          action: "list mine",
          request: () => ({ method: "GET", path: "/api/me/sessions" }),
          expect: {
            anonymous: "auth",
            guest: "allow",
            member: "allow",
            owner: "allow",
            admin: "allow",
            ownerReadToken: "allow",
            ownerWriteToken: "allow",
          },
        },
        {
          action: "revoke one",
          request: (f) => ({ method: "DELETE", path: `/api/me/sessions/${f.sessionId}` }),
          // Signing the owner out needs a browser session or an admin-scoped token.
          expect: {
            anonymous: "auth",
            guest: "hidden",
            member: "hidden",
            owner: "allow",
            admin: "hidden",
            ownerReadToken: "deny",
            ownerWriteToken: "deny",
          },
        },
        {
          action: "revoke all mine",
          request: () => ({ method: "POST", path: "/api/me/sessions/revoke-all", body: {} }),
          expect: {
            anonymous: "auth",
            guest: "allow",
            member: "allow",
            owner: "allow",
            admin: "allow",
            ownerReadToken: "deny",
            ownerWriteToken: "deny",
          },
        },
      ],
    });
  });

  it("app tokens", async () => {
    await runMatrix(s, {
      resource: "app_token",
      extraActors: ["ownerReadToken", "ownerWriteToken"] as const,
      setup: fixture,
      rows: [
        {
          action: "create read/write",
          request: () => ({
            method: "POST",
            path: "/api/me/tokens",
            body: { name: "sync", scopes: ["read", "write"] },
          }),
          // Minting credentials needs a browser session, never a token.
          expect: {
            anonymous: "auth",
            guest: "allow",
            member: "allow",
            owner: "allow",
            admin: "allow",
            ownerReadToken: "deny",
            ownerWriteToken: "deny",
          },
        },
        {
          action: "create admin-scoped",
          request: () => ({ method: "POST", path: "/api/me/tokens", body: { name: "admin", scopes: ["admin"] } }),
          expect: {
            anonymous: "auth",
            guest: "deny",
            member: "deny",
            owner: "deny",
            admin: "allow",
            ownerReadToken: "deny",
            ownerWriteToken: "deny",
          },
        },
        {
          action: "list mine",
          request: () => ({ method: "GET", path: "/api/me/tokens" }),
          expect: {
            anonymous: "auth",
            guest: "allow",
            member: "allow",
            owner: "allow",
            admin: "allow",
            ownerReadToken: "allow",
            ownerWriteToken: "allow",
          },
        },
        {
          action: "revoke",
          request: (f) => ({ method: "DELETE", path: `/api/me/tokens/${f.tokenId}` }),
          expect: {
            anonymous: "auth",
            guest: "hidden",
            member: "hidden",
            owner: "allow",
            admin: "hidden",
            ownerReadToken: "deny",
            // Revoking the owner's other tokens needs a browser session or an admin-scoped token.
            ownerWriteToken: "deny",
          },
        },
      ],
    });
  });
});
