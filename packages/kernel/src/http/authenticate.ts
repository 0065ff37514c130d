import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { KernelTables } from "../db/tables.ts";
import { anonymous, type Actor, type UserActor } from "../authz/actor.ts";
import { AppError } from "../errors.ts";
import { CSRF_HEADER, SESSION_COOKIE, resolveSession } from "../accounts/sessions.ts";
import { resolveAppToken } from "../accounts/app-tokens.ts";

/** The actor an app token stands for: its user, with the token's scopes. */
export const tokenActor = (t: NonNullable<Awaited<ReturnType<typeof resolveAppToken>>>): UserActor => ({
  kind: "user",
  id: t.user.id,
  username: t.user.username,
  role: t.user.role,
  scopes: t.scopes,
  sessionId: null,
  tokenId: t.tokenId,
});
import { safeEqual } from "../accounts/secrets.ts";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor;
    /** How the actor was authenticated: cookie-authenticated writes need a CSRF token. */
    authVia: "session" | "token" | null;
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    csrfExempt?: boolean;
  }
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** Reads the Authorization header: `Bearer <token>` or `Basic base64(user:token)`. */
export function parseAuthorization(header: string | undefined): { token: string; username?: string } | null {
  if (!header) return null;
  const [scheme, value] = header.split(" ", 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === "bearer") return { token: value.trim() };
  if (scheme.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i < 0) return null;
    return { username: decoded.slice(0, i), token: decoded.slice(i + 1) };
  }
  return null;
}

export async function actorFromRequest(
  db: Kysely<KernelTables>,
  req: Pick<FastifyRequest, "headers" | "cookies">,
): Promise<{ actor: Actor; via: "session" | "token" | null; csrf: string | null; badToken: boolean }> {
  const header = req.headers.authorization;
  const auth = parseAuthorization(header);
  // Credentials we cannot read are refused, never ignored: ignoring them would
  // quietly fall back to the session cookie or to anonymous access.
  if (header !== undefined && !auth) return { actor: anonymous, via: null, csrf: null, badToken: true };
  if (auth) {
    const t = await resolveAppToken(db, auth.token, auth.username);
    if (!t) return { actor: anonymous, via: null, csrf: null, badToken: true };
    return {
      actor: tokenActor(t),
      via: "token",
      csrf: null,
      badToken: false,
    };
  }
  const cookie = req.cookies[SESSION_COOKIE];
  if (cookie) {
    const s = await resolveSession(db, cookie);
    if (s) {
      return {
        actor: {
          kind: "user",
          id: s.user.id,
          username: s.user.username,
          role: s.user.role,
          scopes: null,
          sessionId: s.sessionId,
          tokenId: null,
        },
        via: "session",
        csrf: s.csrfToken,
        badToken: false,
      };
    }
  }
  return { actor: anonymous, via: null, csrf: null, badToken: false };
}

/**
 * Resolves the actor for every request, then enforces CSRF on
 * cookie-authenticated writes (double submit: the header must echo the
 * session's token, which only our own pages can read from its cookie).
 */
export function installAuthentication(app: FastifyInstance, db: Kysely<KernelTables>): void {
  // Reference types cannot be decorated with a default; the hook below always sets it.
  app.decorateRequest("actor", null as never);
  app.decorateRequest("authVia", null);
  app.decorateRequest("csrfToken", null);
  app.addHook("preValidation", async (req) => {
    const r = await actorFromRequest(db, req);
    if (r.badToken) {
      throw new AppError("unauthenticated", "the token is invalid or revoked", {
        headers: { "www-authenticate": 'Basic realm="Ensemble", charset="UTF-8"' },
      });
    }
    req.actor = r.actor;
    req.authVia = r.via;
    req.csrfToken = r.csrf;
    if (r.via === "session" && !SAFE.has(req.method) && !req.routeOptions.config.csrfExempt) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== "string" || !r.csrf || !safeEqual(sent, r.csrf)) {
        throw new AppError("csrf_failed", "missing or wrong CSRF token");
      }
    }
  });
}
