import type { FastifyInstance, FastifyRequest } from "fastify";
import type { WebSocket } from "ws";
import { CloseCodes } from "@ensemble/protocol";
import type { Kernel } from "../kernel.ts";
import type { UserActor } from "../authz/actor.ts";
import { resolveAppToken } from "../accounts/app-tokens.ts";
import { twoFactorEnrolmentPending } from "../accounts/two-factor-enforcement.ts";
import { AppError } from "../errors.ts";
import { tokenActor } from "./authenticate.ts";

/**
 * Browsers always send Origin on a WebSocket upgrade and do not apply CORS to
 * it: without this check any site could open the socket with the user's
 * cookie (cross-site WebSocket hijacking). Clients without Origin (bots, Node) pass.
 */
function sameOrigin(req: FastifyRequest, publicUrl: string): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  const allowed = new Set([new URL(publicUrl).origin, `${req.protocol}://${req.headers.host ?? ""}`]);
  return allowed.has(origin);
}

export interface WebSocketRouteDef<Guest> {
  /** The path the route claims (`/ws`, `/collab`): upgrades there are the module's, others never reach it. */
  url: string;
  summary: string;
  tags: string[];
  /**
   * Who stands in for an upgrade without account credentials (a meeting's
   * visitor pass), read in preValidation where async work is possible; none by default.
   */
  guest?: (req: FastifyRequest) => Promise<Guest | null>;
  /** The upgraded socket and who opened it; called only for an authenticated person or an accepted guest. */
  accept: (socket: WebSocket, req: FastifyRequest, actor: UserActor | Guest) => void;
}

/**
 * A WebSocket endpoint on the server's one port, authenticated like the API:
 * the session cookie (browsers), an app token in `Authorization` or
 * `?access_token=` (clients that cannot set headers). A foreign Origin is
 * refused (403) before the upgrade; an upgrade without credentials is closed
 * with 4001, one whose session must first enrol in two-factor with 4004.
 * Rate-limited like every route (the upgrade request counts).
 */
export function websocketRoute<Guest = never>(app: FastifyInstance, k: Kernel, def: WebSocketRouteDef<Guest>): void {
  // Decided in preValidation (async is possible there), answered in wsHandler with a close code.
  const enrolmentPending = new WeakSet<FastifyRequest>();
  const guests = new WeakMap<FastifyRequest, Guest>();
  app.route({
    method: "GET",
    url: def.url,
    schema: { summary: def.summary, tags: def.tags, hide: true },
    preValidation: async (req: FastifyRequest) => {
      if (!sameOrigin(req, k.config.publicUrl)) throw new AppError("forbidden", "cross-origin WebSocket refused");
      const q = req.query as Record<string, unknown>;
      if (req.actor.kind === "anonymous" && typeof q.access_token === "string") {
        const t = await resolveAppToken(k.db, q.access_token);
        if (!t) return;
        req.actor = tokenActor(t);
      }
      if (req.actor.kind === "user" && req.authVia === "session" && (await twoFactorEnrolmentPending(k, req.actor)))
        enrolmentPending.add(req);
      // A signed-in person's own credentials win; a guest only stands in for none.
      if (req.actor.kind === "anonymous" && def.guest) {
        const g = await def.guest(req);
        if (g !== null) guests.set(req, g);
      }
    },
    handler: async () => {
      throw new AppError("validation", "this endpoint speaks WebSocket only");
    },
    wsHandler: (socket, req) => {
      const actor = req.actor.kind === "user" ? req.actor : guests.get(req);
      if (actor === undefined) {
        socket.close(CloseCodes.unauthenticated.code, CloseCodes.unauthenticated.reason);
        return;
      }
      if (enrolmentPending.has(req)) {
        socket.close(CloseCodes.twoFactorRequired.code, CloseCodes.twoFactorRequired.reason);
        return;
      }
      def.accept(socket, req, actor);
    },
  });
}
