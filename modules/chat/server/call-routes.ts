import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { route, type Kernel } from "@ensemble/kernel";
import { messageSchema } from "../shared/schemas.ts";
import { postMessage } from "./post-message.ts";
import { ChatRoomResource } from "./resources.ts";
import { sendContext } from "./send-context.ts";
import { chatDb } from "./tables.ts";
import "./events.ts";

/** Brackets would end the link text early: the room's name is shown as it is. */
const linkText = (s: string) => s.replace(/([\\[\]])/g, "\\$1");

/**
 * A call from a room: the meetings service (through the kernel's `calls`, so
 * neither module imports the other) starts an instant meeting organised by
 * the caller, and a message in the room carries its join button (an
 * attachment with the meeting's code and page) and its link as text.
 */
export function callRoutes(app: FastifyInstance, k: Kernel): void {
  const db = chatDb(k);
  route(app, {
    method: "POST",
    url: "/api/chat/rooms/:id/call",
    summary: "Start a call in a room: an instant meeting, announced in the room with a join button",
    tags: ["chat"],
    auth: "user",
    rateLimit: { max: 20, timeWindow: "1 minute", per: "credential" },
    params: z.object({ id: z.uuid() }),
    body: z.object({}).strict(),
    // A retried press (Idempotency-Key) answers the first call's message, not a second meeting.
    idempotent: true,
    response: messageSchema,
    status: 201,
    handler: async ({ actor, params }) => {
      const ctx = await sendContext(k, params.id, actor);
      const room = await k.policy.authorize(actor, ChatRoomResource, "call", ctx.room);
      const call = await k.calls.startInstant(actor, room.type === "dm" ? "📞" : room.name);
      const posted = await db.transaction().execute((tx) =>
        postMessage(k, tx, {
          roomId: room.id,
          authorId: actor.id,
          kind: ctx.kind,
          text: `📞 [${linkText(call.title)}](${call.url})`,
          attachments: [{ title: call.title, call: { code: call.code, path: call.path } }],
        }),
      );
      return posted.message;
    },
  });
}
