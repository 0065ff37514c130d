import { createHash } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { SESSION_COOKIE } from "../accounts/sessions.ts";

/** A short, non-reversible name for the credential a request carries (session cookie or Authorization header). */
export function credentialKey(req: FastifyRequest): string | null {
  const credential = req.cookies[SESSION_COOKIE] ?? req.headers.authorization;
  return credential ? createHash("sha256").update(credential).digest("base64url").slice(0, 22) : null;
}

/**
 * Rate-limit key per credential, not per address: a whole office may share
 * one NAT address. The limiter runs before authentication, so the key is a
 * hash of the session cookie or Authorization header, never the secret; a
 * request without one is counted by address.
 */
export function perCredential(scope: string): (req: FastifyRequest) => string {
  return (req) => `${scope}:${credentialKey(req) ?? req.ip}`;
}
