import type { Kysely } from "kysely";
import { uuidv7 } from "@ensemble/protocol";
import type { KernelTables, UsersTable } from "../db/tables.ts";
import { randomToken, sha256 } from "./secrets.ts";

export const SESSION_COOKIE = "ensemble_session";
export const CSRF_COOKIE = "ensemble_csrf";
export const CSRF_HEADER = "x-csrf-token";

export interface NewSession {
  id: string;
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(
  db: Kysely<KernelTables>,
  userId: string,
  meta: { userAgent: string; ip: string },
  ttlDays: number,
): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken(18);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlDays * 86_400_000);
  const id = uuidv7();
  await db
    .insertInto("sessions")
    .values({
      id,
      token_hash: sha256(token),
      user_id: userId,
      csrf_token: csrfToken,
      user_agent: meta.userAgent.slice(0, 300),
      ip: meta.ip,
      created_at: now.toISOString(),
      last_used_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
    })
    .execute();
  return { id, token, csrfToken, expiresAt };
}

export interface ResolvedSession {
  sessionId: string;
  csrfToken: string;
  user: Pick<UsersTable, "id" | "username" | "role">;
}

/** Only touch last_used_at once a minute, so reads do not turn into writes. */
const TOUCH_EVERY_MS = 60_000;

export async function resolveSession(db: Kysely<KernelTables>, token: string): Promise<ResolvedSession | null> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.id as sid",
      "sessions.csrf_token",
      "sessions.expires_at",
      "sessions.last_used_at",
      "users.id",
      "users.username",
      "users.role",
      "users.deactivated",
    ])
    .where("sessions.token_hash", "=", sha256(token))
    .executeTakeFirst();
  if (!row || row.deactivated) return null;
  const now = Date.now();
  if (Date.parse(row.expires_at) <= now) return null;
  if (now - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
    await db
      .updateTable("sessions")
      .set({ last_used_at: new Date(now).toISOString() })
      .where("id", "=", row.sid)
      .execute();
  }
  return {
    sessionId: row.sid,
    csrfToken: row.csrf_token,
    user: { id: row.id, username: row.username, role: row.role },
  };
}

export async function revokeSession(db: Kysely<KernelTables>, userId: string, sessionId: string): Promise<boolean> {
  const r = await db
    .deleteFrom("sessions")
    .where("id", "=", sessionId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Deletes the user's sessions (but `exceptId`) and answers their ids, to close their sockets once committed. */
export async function revokeAllSessions(
  db: Kysely<KernelTables>,
  userId: string,
  exceptId?: string,
): Promise<string[]> {
  let q = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (exceptId) q = q.where("id", "!=", exceptId);
  return (await q.returning("id").execute()).map((r) => r.id);
}
