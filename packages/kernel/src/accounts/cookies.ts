import type { FastifyReply, FastifyRequest } from "fastify";
import type { Config } from "../config.ts";
import { CSRF_COOKIE, SESSION_COOKIE, type NewSession } from "./sessions.ts";

/** Secure cookies when served over HTTPS (PUBLIC_URL) or behind a TLS proxy. */
const secure = (config: Config, req: FastifyRequest) =>
  config.publicUrl.startsWith("https:") || req.protocol === "https";

export function setSessionCookies(reply: FastifyReply, req: FastifyRequest, config: Config, s: NewSession): void {
  const base = { path: "/", sameSite: "lax" as const, secure: secure(config, req), expires: s.expiresAt };
  reply.setCookie(SESSION_COOKIE, s.token, { ...base, httpOnly: true });
  // Readable by our scripts only (same origin), echoed in the x-csrf-token header.
  reply.setCookie(CSRF_COOKIE, s.csrfToken, { ...base, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: "/" });
  reply.clearCookie(CSRF_COOKIE, { path: "/" });
}
