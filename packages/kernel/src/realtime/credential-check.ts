import type { Kysely } from "kysely";
import type { KernelTables } from "../db/tables.ts";
import type { Role, UserActor } from "../authz/actor.ts";

const CHUNK = 500;

export interface CredentialState {
  /** Session or token ids that no longer authenticate. */
  lost: Set<string>;
  /** The current role of every owner still active: a socket's actor is refreshed from it. */
  roles: Map<string, Role>;
}

/**
 * Which of these socket owners lost their credentials (session deleted or
 * expired, token revoked, account deactivated) since they connected, and the
 * role each still-active owner has now. The gateway asks at every heartbeat
 * and on `reauthorize`, so a change made by another process that could not
 * reach it through the cluster bus (a CLI on a single node) still applies
 * within one period.
 */
export async function credentialState(
  db: Kysely<KernelTables>,
  actors: readonly UserActor[],
): Promise<CredentialState> {
  const lost = new Set<string>();
  const roles = new Map<string, Role>();
  const now = new Date().toISOString();
  const sessions = [...new Set(actors.flatMap((a) => (a.sessionId ? [a.sessionId] : [])))];
  const tokens = [...new Set(actors.flatMap((a) => (a.tokenId ? [a.tokenId] : [])))];
  const liveSessions = new Set<string>();
  for (let i = 0; i < sessions.length; i += CHUNK) {
    const rows = await db
      .selectFrom("sessions")
      .innerJoin("users", "users.id", "sessions.user_id")
      .select(["sessions.id", "users.id as user_id", "users.role"])
      .where("sessions.id", "in", sessions.slice(i, i + CHUNK))
      .where("sessions.expires_at", ">", now)
      .where("users.deactivated", "=", 0)
      .execute();
    for (const r of rows) {
      liveSessions.add(r.id);
      roles.set(r.user_id, r.role);
    }
  }
  const liveTokens = new Set<string>();
  for (let i = 0; i < tokens.length; i += CHUNK) {
    const rows = await db
      .selectFrom("app_tokens")
      .innerJoin("users", "users.id", "app_tokens.user_id")
      .select(["app_tokens.id", "users.id as user_id", "users.role"])
      .where("app_tokens.id", "in", tokens.slice(i, i + CHUNK))
      .where("app_tokens.revoked_at", "is", null)
      .where("users.deactivated", "=", 0)
      .execute();
    for (const r of rows) {
      liveTokens.add(r.id);
      roles.set(r.user_id, r.role);
    }
  }
  for (const a of actors) {
    if (a.sessionId && !liveSessions.has(a.sessionId)) lost.add(a.sessionId);
    if (a.tokenId && !liveTokens.has(a.tokenId)) lost.add(a.tokenId);
  }
  return { lost, roles };
}
