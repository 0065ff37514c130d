import { createHash } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { SESSION_COOKIE } from "../accounts/sessions.ts";

/** A short, non-reversible name for the credential a request carries (session cookie or Authorization header). */
export function credentialKey(req: FastifyRequest): string | null {
  const credential = req.cookies[SESSION_COOKIE] ?? req.headers.authorization;
  return credential ? createHash("sha256").update(credential).digest("base64url").slice(0, 22) : null;
}
