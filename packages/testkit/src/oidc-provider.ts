import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export type OidcClaims = Record<string, unknown>;

export interface TestOidcProvider {
  /** http://127.0.0.1:<port> */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by subject; the claims the provider releases for them, freely changed by tests. */
  accounts: Map<string, OidcClaims>;
  /** The subject the next login interaction signs in as. */
  loginAs(subject: string): void;
  /**
   * Walks a new browser through the provider from an authorization URL (login,
   * consent), keeping the provider's cookies, and returns the URL the provider
   * finally redirects back to (the client's redirect URI with code and state).
   */
  authorize(authorizationUrl: string): Promise<URL>;
  close(): Promise<void>;
}

/** Claims per scope; `roles` travels with `profile` so the relying party needs no extra scope. */
const DEFAULT_CLAIMS = {
  openid: ["sub"],
  email: ["email", "email_verified"],
  profile: ["name", "given_name", "family_name", "preferred_username", "roles"],
};

/**
 * A real OpenID Connect provider (panva's oidc-provider) on a random loopback
 * port, with one confidential client for `redirectUris`. Login and consent
 * are completed programmatically by a tiny interaction handler, through the
 * provider's own interaction API.
 */
export async function startOidcProvider(opts: {
  redirectUris: string[];
  clientId?: string;
  clientSecret?: string;
  claims?: Record<string, string[]>;
}): Promise<TestOidcProvider> {
  const clientId = opts.clientId ?? "ensemble-test";
  const clientSecret = opts.clientSecret ?? randomBytes(24).toString("base64url");
  const accounts = new Map<string, OidcClaims>();
  let nextLogin: string | null = null;

  let handler: http.RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [{ ...key, kid: "test-key", use: "sig", alg: "RS256" }] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    claims: opts.claims ?? DEFAULT_CLAIMS,
    // Refuse any authorization request without PKCE: proves the relying party sends it.
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Grant: 3600, Interaction: 600, Session: 3600 },
    findAccount: (_ctx: unknown, sub: string) => {
      const claims = accounts.get(sub);
      if (!claims) return undefined;
      return { accountId: sub, claims: async () => ({ ...claims, sub }) };
    },
  });
  const providerCallback = provider.callback();

  async function interaction(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === "login") {
      if (!nextLogin) throw new Error("test OIDC provider: call loginAs(subject) before signing in");
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: nextLogin } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    // Consent: grant whatever the client asked for.
    const accountId = details.session?.accountId;
    const clientIdParam = details.params.client_id;
    if (!accountId || typeof clientIdParam !== "string")
      throw new Error("test OIDC provider: consent without a session");
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId: clientIdParam });
    if (!grant) throw new Error("test OIDC provider: grant not found");
    const missing = details.prompt.details;
    if (Array.isArray(missing.missingOIDCScope)) grant.addOIDCScope((missing.missingOIDCScope as string[]).join(" "));
    if (Array.isArray(missing.missingOIDCClaims)) grant.addOIDCClaims(missing.missingOIDCClaims as string[]);
    if (missing.missingResourceScopes && typeof missing.missingResourceScopes === "object") {
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes as Record<string, string[]>)) {
        grant.addResourceScope(indicator, scopes.join(" "));
      }
    }
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { consent: details.grantId ? {} : { grantId } },
      { mergeWithLastSubmission: true },
    );
  }

  handler = (req, res) => {
    if (req.url?.startsWith("/interaction/")) {
      interaction(req, res).catch((e: unknown) => {
        res.statusCode = 500;
        res.end(String(e));
      });
      return;
    }
    providerCallback(req, res);
  };

  // Each walk is a fresh browser: no provider session is carried from one sign-in to the next.
  const authorize = async (authorizationUrl: string): Promise<URL> => {
    const jar = new Map<string, string>();
    let url = new URL(authorizationUrl);
    for (let hop = 0; hop < 20; hop++) {
      if (url.origin !== issuer) return url;
      const headers: Record<string, string> = {};
      if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
      const res = await fetch(url, { headers, redirect: "manual" });
      for (const c of res.headers.getSetCookie()) {
        const pair = c.split(";")[0] ?? "";
        const eq = pair.indexOf("=");
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        if (value === "" || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name);
        else jar.set(name, value);
      }
      const location = res.headers.get("location");
      if (res.status < 300 || res.status >= 400 || !location) {
        throw new Error(
          `test OIDC provider answered ${res.status} at ${url.pathname}: ${(await res.text()).slice(0, 500)}`,
        );
      }
      await res.arrayBuffer();
      url = new URL(location, url);
    }
    throw new Error("test OIDC provider: too many redirects");
  };

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    loginAs: (subject) => {
      nextLogin = subject;
    },
    authorize,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
