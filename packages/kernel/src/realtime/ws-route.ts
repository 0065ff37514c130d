import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { CloseCodes, REALTIME_PATH, REALTIME_PROTOCOL_VERSION } from "@ensemble/protocol";
import type { Kernel } from "../kernel.ts";
import { resolveAppToken } from "../accounts/app-tokens.ts";
import { twoFactorEnrolmentPending } from "../accounts/two-factor-enforcement.ts";
import { AppError } from "../errors.ts";

/**
 * Browsers always send Origin on a WebSocket upgrade and do not apply CORS to
 * it: without this check any site could open /ws with the user's cookie
 * (cross-site WebSocket hijacking). Clients without Origin (bots, Node) pass.
 */
function sameOrigin(req: FastifyRequest, publicUrl: string): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  const allowed = new Set([new URL(publicUrl).origin, `${req.protocol}://${req.headers.host ?? ""}`]);
  return allowed.has(origin);
}

/**
 * Upgrades whose session must first enrol in two-factor, as the HTTP hook
 * refuses their API calls: decided in preValidation (async is possible
 * there), answered in wsHandler with a close code the client understands.
 */
const enrolmentPending = new WeakSet<FastifyRequest>();

export function realtimeRoute(app: FastifyInstance, k: Kernel): void {
  app.route({
    method: "GET",
    url: REALTIME_PATH,
    schema: {
      summary: "Realtime gateway (WebSocket, protocol in @ensemble/protocol realtime.ts)",
      tags: ["realtime"],
      hide: true,
    },
    preValidation: async (req: FastifyRequest, _reply: FastifyReply) => {
      if (!sameOrigin(req, k.config.publicUrl)) throw new AppError("forbidden", "cross-origin WebSocket refused");
      // Bots that cannot set headers on a WebSocket pass their token in the query.
      const q = req.query as Record<string, unknown>;
      if (req.actor.kind === "anonymous" && typeof q.access_token === "string") {
        const t = await resolveAppToken(k.db, q.access_token);
        if (!t) return;
        req.actor = {
          kind: "user",
          id: t.user.id,
          username: t.user.username,
          role: t.user.role,
          scopes: t.scopes,
          sessionId: null,
          tokenId: t.tokenId,
        };
      }
      if (req.actor.kind === "user" && req.authVia === "session" && (await twoFactorEnrolmentPending(k, req.actor)))
        enrolmentPending.add(req);
    },
    handler: async () => {
      throw new AppError("validation", "this endpoint speaks WebSocket only");
    },
    wsHandler: (socket, req) => {
      const actor = req.actor;
      if (actor.kind !== "user") {
        socket.close(CloseCodes.unauthenticated.code, CloseCodes.unauthenticated.reason);
        return;
      }
      if (enrolmentPending.has(req)) {
        socket.close(CloseCodes.twoFactorRequired.code, CloseCodes.twoFactorRequired.reason);
        return;
      }
      const v = Number((req.query as Record<string, unknown>).v ?? REALTIME_PROTOCOL_VERSION);
      k.realtime.accept(socket, actor, v);
    },
  });
}
