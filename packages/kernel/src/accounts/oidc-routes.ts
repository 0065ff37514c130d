import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Kernel } from "../kernel.ts";
import { rawResponse, route } from "../http/route.ts";
import { AppError } from "../errors.ts";
import { createSession } from "./sessions.ts";
import { setSessionCookies } from "./cookies.ts";
import { createOidcClient } from "./oidc.ts";
import { accountForIdentity } from "./oidc-accounts.ts";
import { meta } from "./auth-routes.ts";
import { audit } from "../audit/audit.ts";
import { authProvidersSchema } from "@ensemble/protocol/wire/accounts";

/** Binds a pending sign-in to the browser that started it (login CSRF defence). */
export const OIDC_COOKIE = "ensemble_oidc";
const COOKIE_PATH = "/api/auth/oidc";

// The provider's parameters are validated by openid-client; this only bounds them.
const callbackQuery = z.record(z.string(), z.string().max(4096));

/** OpenID Connect sign-in and the list of sign-in methods shown on the sign-in page. */
export function oidcRoutes(app: FastifyInstance, k: Kernel): void {
  const oidc = createOidcClient(k.config, k.log);
  const limit = { max: k.config.RATE_LIMIT_PUBLIC_PER_MIN, timeWindow: 60_000, per: "address" as const };
  const secure = k.config.publicUrl.startsWith("https:");

  route(app, {
    method: "GET",
    url: "/api/auth/providers",
    summary: "Sign-in methods: single sign-on (when configured) and whether local passwords are disabled",
    tags: ["auth"],
    auth: "none",
    response: authProvidersSchema,
    handler: async () => ({ oidc: oidc ? { name: oidc.name } : null, ssoOnly: k.config.SSO_ONLY }),
  });

  route(app, {
    method: "GET",
    url: "/api/auth/oidc/start",
    summary: "Start a single sign-on: redirects to the identity provider",
    tags: ["auth"],
    auth: "none",
    response: rawResponse(null, "A redirect to the identity provider", 302),
    rateLimit: limit,
    handler: async ({ reply, req }) => {
      if (!oidc) throw new AppError("not_found", "single sign-on is not configured");
      const { url, browserSecret } = await oidc.begin(k.db);
      reply.setCookie(OIDC_COOKIE, browserSecret, {
        path: COOKIE_PATH,
        httpOnly: true,
        // Lax: the cookie must come back on the provider's top-level redirect to the callback.
        sameSite: "lax",
        secure: secure || req.protocol === "https",
        maxAge: 600,
      });
      reply.header("cache-control", "no-store");
      return reply.redirect(url, 302);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/auth/oidc/callback",
    summary: "Where the identity provider sends the browser back; signs in and redirects to /",
    tags: ["auth"],
    auth: "none",
    response: rawResponse(null, "A redirect to the application once signed in", 302),
    rateLimit: limit,
    query: callbackQuery,
    handler: async ({ req, reply }) => {
      if (!oidc) throw new AppError("not_found", "single sign-on is not configured");
      reply.clearCookie(OIDC_COOKIE, { path: COOKIE_PATH });
      const q = req.url.indexOf("?");
      const callbackUrl = new URL(oidc.redirectUri + (q >= 0 ? req.url.slice(q) : ""));
      const profile = await oidc.complete(k.db, callbackUrl, req.cookies[OIDC_COOKIE]).catch(async (e: unknown) => {
        await audit(k.db, {
          actorId: null,
          action: "auth.sign_in.failed",
          ip: req.ip,
          details: { method: "oidc", reason: e instanceof AppError ? e.code : "oidc_failed" },
        });
        throw e;
      });
      const user = await accountForIdentity(k.db, profile);
      const session = await createSession(k.db, user.id, meta(req), k.config.SESSION_TTL_DAYS);
      await audit(k.db, {
        actorId: user.id,
        action: "auth.sign_in.succeeded",
        target: { type: "user", id: user.id },
        ip: req.ip,
        details: { method: "oidc", issuer: profile.issuer },
      });
      setSessionCookies(reply, req, k.config, session);
      reply.header("cache-control", "no-store");
      return reply.redirect("/", 302);
    },
  });
}
