import type { FastifyInstance } from "fastify";
import { REALTIME_PATH, REALTIME_PROTOCOL_VERSION } from "@ensemble/protocol";
import type { Kernel } from "../kernel.ts";
import { websocketRoute } from "../http/websocket-route.ts";

/** The realtime gateway's socket: a person, or a visitor with a pass (`?visitor_pass=`), on `/ws`. */
export function realtimeRoute(app: FastifyInstance, k: Kernel): void {
  websocketRoute(app, k, {
    url: REALTIME_PATH,
    summary: "Realtime gateway (WebSocket, protocol in @ensemble/protocol realtime.ts)",
    tags: ["realtime"],
    guest: async (req) => {
      const pass = (req.query as Record<string, unknown>).visitor_pass;
      return typeof pass === "string" ? k.visitors.verify(pass) : null;
    },
    accept: (socket, req, actor) => {
      const v = Number((req.query as Record<string, unknown>).v ?? REALTIME_PROTOCOL_VERSION);
      k.realtime.accept(socket, actor, v);
    },
  });
}
