import type { Kysely } from "kysely";
import type { Logger } from "pino";
import * as client from "openid-client";
import type { Config } from "../config.ts";
import type { KernelTables } from "../db/tables.ts";
import type { Role } from "../authz/actor.ts";
import { AppError } from "../errors.ts";
import { randomToken, safeEqual, sha256 } from "./secrets.ts";

/** How long a browser has to come back from the identity provider. */
const PENDING_TTL_MS = 10 * 60_000;

/** What Ensemble keeps of a successful OpenID Connect sign-in. */
export interface OidcProfile {
  issuer: string;
  subject: string;
  preferredUsername: string | null;
  name: string | null;
  email: string | null;
  emailVerified: boolean;
  /** The role the claim maps to, or null when no role claim is configured. */
  role: Role | null;
}

export interface OidcClient {
  readonly name: string;
  readonly redirectUri: string;
  /** Starts a sign-in: returns where to send the browser and the secret that binds the attempt to it. */
  begin(db: Kysely<KernelTables>): Promise<{ url: string; browserSecret: string }>;
  /** Checks state, browser binding, PKCE and nonce, exchanges the code and returns the verified profile. */
  complete(db: Kysely<KernelTables>, callbackUrl: URL, browserSecret: string | undefined): Promise<OidcProfile>;
}

const fail = (detail: string) => new AppError("oidc_failed", detail);

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/** Reads a claim by name, following dots into objects (Keycloak's `realm_access.roles`). */
function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path];
  let cur: unknown = claims;
  for (const part of path.split(".")) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const list = (csv: string) =>
  csv
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * Maps the configured claim (a string or an array of strings) to a role:
 * admin values win over guest values; anything else is a member.
 */
export function mapRole(
  config: Pick<Config, "OIDC_ROLE_CLAIM" | "OIDC_ADMIN_VALUES" | "OIDC_GUEST_VALUES">,
  claims: Record<string, unknown>,
): Role | null {
  if (!config.OIDC_ROLE_CLAIM) return null;
  const raw = claimAt(claims, config.OIDC_ROLE_CLAIM);
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === "string");
  if (values.some((v) => list(config.OIDC_ADMIN_VALUES).includes(v))) return "admin";
  if (values.some((v) => list(config.OIDC_GUEST_VALUES).includes(v))) return "guest";
  return "member";
}

/** Returns null when OpenID Connect is not configured. */
export function createOidcClient(config: Config, log: Logger): OidcClient | null {
  const issuer = config.OIDC_ISSUER;
  const clientId = config.OIDC_CLIENT_ID;
  if (!issuer || !clientId) return null;
  const redirectUri = `${config.publicUrl}/api/auth/oidc/callback`;
  const secret = config.OIDC_CLIENT_SECRET;

  // Discovery is cached once it succeeds; a failure is retried on the next sign-in.
  let discovered: Promise<client.Configuration> | null = null;
  const configuration = () => {
    discovered ??= client
      .discovery(
        new URL(issuer),
        clientId,
        secret ? { client_secret: secret } : undefined,
        secret ? client.ClientSecretBasic(secret) : client.None(),
        {
          // Plain-http issuers only when the operator said so (tests, labs).
          execute: config.OIDC_ALLOW_INSECURE ? [client.allowInsecureRequests] : [],
          timeout: 10,
        },
      )
      .catch((e: unknown) => {
        discovered = null;
        log.warn({ err: { name: (e as Error).name, message: (e as Error).message } }, "OIDC discovery failed");
        throw new AppError("unavailable", "the identity provider cannot be reached");
      });
    return discovered;
  };

  return {
    name: config.OIDC_NAME,
    redirectUri,

    async begin(db) {
      const cfg = await configuration();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const codeVerifier = client.randomPKCECodeVerifier();
      const browserSecret = randomToken();
      const now = Date.now();
      await db.deleteFrom("oidc_states").where("expires_at", "<", new Date(now).toISOString()).execute();
      await db
        .insertInto("oidc_states")
        .values({
          state_hash: sha256(state),
          browser_hash: sha256(browserSecret),
          nonce,
          code_verifier: codeVerifier,
          created_at: new Date(now).toISOString(),
          expires_at: new Date(now + PENDING_TTL_MS).toISOString(),
        })
        .execute();
      const url = client.buildAuthorizationUrl(cfg, {
        redirect_uri: redirectUri,
        scope: config.OIDC_SCOPES,
        response_type: "code",
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: "S256",
        state,
        nonce,
      });
      return { url: url.href, browserSecret };
    },

    async complete(db, callbackUrl, browserSecret) {
      const state = callbackUrl.searchParams.get("state");
      if (!state || state.length > 512) throw fail("the sign-in response has no valid state");
      const row = await db
        .selectFrom("oidc_states")
        .selectAll()
        .where("state_hash", "=", sha256(state))
        .executeTakeFirst();
      if (!row) throw fail("unknown or already used sign-in attempt");
      // Single use: whoever deletes the row owns the attempt.
      const del = await db.deleteFrom("oidc_states").where("state_hash", "=", row.state_hash).executeTakeFirst();
      if (Number(del.numDeletedRows) !== 1) throw fail("unknown or already used sign-in attempt");
      if (Date.parse(row.expires_at) <= Date.now()) throw fail("the sign-in attempt has expired; start again");
      if (!browserSecret || !safeEqual(sha256(browserSecret), row.browser_hash)) {
        throw fail("this sign-in was started in another browser");
      }
      const providerError = callbackUrl.searchParams.get("error");
      if (providerError) throw fail(`the identity provider refused the sign-in (${providerError.slice(0, 100)})`);

      const cfg = await configuration();
      let claims: Record<string, unknown>;
      try {
        const tokens = await client.authorizationCodeGrant(cfg, callbackUrl, {
          pkceCodeVerifier: row.code_verifier,
          expectedState: state,
          expectedNonce: row.nonce,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims();
        if (!idClaims) throw new Error("no ID token");
        const userinfo = cfg.serverMetadata().userinfo_endpoint
          ? await client.fetchUserInfo(cfg, tokens.access_token, idClaims.sub)
          : {};
        claims = { ...idClaims, ...userinfo, sub: idClaims.sub };
      } catch (e) {
        // The library's messages name the failed check, never a secret; tokens are not logged.
        const cause = (e as Error).cause;
        const claim = typeof cause === "object" && cause !== null && "claim" in cause ? String(cause.claim) : undefined;
        log.warn({ err: { name: (e as Error).name, message: (e as Error).message, claim } }, "OIDC sign-in refused");
        throw fail("the identity provider's response could not be verified");
      }
      const subject = str(claims.sub);
      if (!subject) throw fail("the identity provider sent no subject");
      const given = [str(claims.given_name), str(claims.family_name)].filter(Boolean).join(" ");
      return {
        issuer: cfg.serverMetadata().issuer,
        subject,
        preferredUsername: str(claims.preferred_username),
        name: str(claims.name) ?? (given || null),
        email: str(claims.email)?.toLowerCase() ?? null,
        emailVerified: claims.email_verified === true,
        role: mapRole(config, claims),
      };
    },
  };
}
