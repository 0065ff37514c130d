import { createHash } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { SESSION_COOKIE } from "@ensemble/kernel/accounts/sessions";

/**
 * Rate-limit key per credential, not per address: a whole office may share
 * one NAT address. The limiter runs before authentication, so the key is a
 * hash of the session cookie or Authorization header, never the secret.
 */
export function perCredential(scope: string): (req: FastifyRequest) => string {
  return (req) => {
    const credential = req.cookies[SESSION_COOKIE] ?? req.headers.authorization;
    return credential
      ? `${scope}:${createHash("sha256").update(credential).digest("base64url").slice(0, 22)}`
      : `${scope}:${req.ip}`;
  };
}
