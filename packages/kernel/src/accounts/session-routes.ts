import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Kernel } from "../kernel.ts";
import type { SessionsTable } from "../db/tables.ts";
import { noContent, route } from "../http/route.ts";
import { revokeAllSessions, revokeSession } from "./sessions.ts";
import { clearSessionCookies } from "./cookies.ts";
import { SessionResource } from "./resources.ts";
import { describeUserAgent } from "./user-agent.ts";
import { revokedCountSchema, sessionListSchema, type Session } from "@ensemble/protocol/wire/accounts";

const idParams = z.object({ id: z.uuid() });
const revokeAllBody = z.object({ includeCurrent: z.boolean().default(false) }).default({ includeCurrent: false });

type SessionRow = Pick<
  SessionsTable,
  "id" | "user_id" | "user_agent" | "ip" | "created_at" | "last_used_at" | "expires_at"
>;

function presentSession(s: SessionRow, currentId: string | null): Session {
  const device = describeUserAgent(s.user_agent);
  return {
    id: s.id,
    device: device.label,
    browser: device.browser,
    os: device.os,
    ip: s.ip,
    createdAt: s.created_at,
    lastUsedAt: s.last_used_at,
    expiresAt: s.expires_at,
    current: s.id === currentId,
  };
}

/**
 * Ending browser sessions signs the person out everywhere: a leaked read or
 * write app token (a sync client's, a script's) must not be able to do that to
 * its owner, so these routes need the admin scope, which browser sessions have
 * and which only administrators can give a token.
 */
const SIGN_OUT_SCOPE = "admin";

/** The signed-in user's active sessions: list them, end one, end all the others. */
export function sessionRoutes(app: FastifyInstance, k: Kernel): void {
  route(app, {
    method: "GET",
    url: "/api/me/sessions",
    summary: "My active sessions, with device, address and last use",
    tags: ["sessions"],
    auth: "user",
    response: sessionListSchema,
    handler: async ({ actor }) => {
      const rows = await k.db
        .selectFrom("sessions")
        .select(["id", "user_id", "user_agent", "ip", "created_at", "last_used_at", "expires_at"])
        .where(k.policy.scope(SessionResource, actor)("sessions"))
        .where("expires_at", ">", new Date().toISOString())
        .orderBy("last_used_at", "desc")
        .execute();
      return { sessions: rows.map((s) => presentSession(s, actor.sessionId)) };
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/me/sessions/:id",
    summary: "End one of my sessions (this one included)",
    tags: ["sessions"],
    auth: "user",
    scope: SIGN_OUT_SCOPE,
    response: noContent,
    params: idParams,
    handler: async ({ actor, params, reply }) => {
      const row = await k.db
        .selectFrom("sessions")
        .select(["id", "user_id"])
        .where("id", "=", params.id)
        .executeTakeFirst();
      await k.policy.authorize(actor, SessionResource, "revoke", row);
      if (!row) return undefined;
      await revokeSession(k.db, row.user_id, row.id);
      await k.realtime.disconnectSessions([row.id]);
      if (row.id === actor.sessionId) clearSessionCookies(reply);
      return undefined;
    },
  });

  route(app, {
    method: "POST",
    url: "/api/me/sessions/revoke-all",
    summary: "End all my other sessions (and this one with includeCurrent)",
    tags: ["sessions"],
    auth: "user",
    scope: SIGN_OUT_SCOPE,
    response: revokedCountSchema,
    body: revokeAllBody,
    handler: async ({ actor, body, reply }) => {
      const keep = body.includeCurrent ? undefined : (actor.sessionId ?? undefined);
      const revoked = await revokeAllSessions(k.db, actor.id, keep);
      await k.realtime.disconnectSessions(revoked);
      if (body.includeCurrent && actor.sessionId) clearSessionCookies(reply);
      return { revoked: revoked.length };
    },
  });
}
