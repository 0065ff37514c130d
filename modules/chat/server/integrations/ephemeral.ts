import type { FastifyInstance, FastifyRequest } from "fastify";
import { uuidv7, type ProblemCode } from "@ensemble/protocol";
import { AppError, recordEvent, type Kernel } from "@ensemble/kernel";
import type { Attachment } from "../../shared/schemas.ts";
import { userTopic } from "../members.ts";
import { chatDb } from "../tables.ts";
import type { EphemeralMessage } from "../../shared/events.ts";

/**
 * Sends a message to one person in a room (slash command answers): recorded
 * as an event on their `user:` topic, so all their devices see it and a
 * reconnecting client still receives it, but it is never part of the room.
 */
export async function postEphemeral(
  k: Kernel,
  to: { userId: string; roomId: string; parentId?: string | null },
  content: { text: string; username?: string; attachments?: Attachment[] | null },
): Promise<EphemeralMessage> {
  const message: EphemeralMessage = {
    id: uuidv7(),
    roomId: to.roomId,
    parentId: to.parentId ?? null,
    text: content.text,
    attachments: content.attachments?.length ? content.attachments : null,
    username: content.username ?? "Ensemble",
    createdAt: new Date().toISOString(),
  };
  await chatDb(k)
    .transaction()
    .execute((tx) =>
      recordEvent(tx, {
        name: "chat.ephemeral.posted",
        actorId: null,
        resources: { room: to.roomId, user: to.userId },
        payload: { message },
        topics: [userTopic(to.userId)],
      }),
    );
  return message;
}

const FORWARDED = ["cookie", "authorization", "x-csrf-token", "user-agent", "accept-language"];

/**
 * Runs a built-in command through the public route that does the same thing
 * (send, rename the topic, invite, leave, preferences), as the same person
 * with the same credentials, so every rule of that route applies unchanged.
 * A refusal is answered with the route's own problem.
 */
export async function asActor(
  app: FastifyInstance,
  req: FastifyRequest,
  method: "POST" | "PATCH" | "DELETE",
  url: string,
  payload: unknown,
): Promise<unknown> {
  const headers: Record<string, string> = payload === undefined ? {} : { "content-type": "application/json" };
  for (const h of FORWARDED) {
    const v = req.headers[h];
    if (typeof v === "string") headers[h] = v;
  }
  const res = await app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    remoteAddress: req.ip,
  });
  const body: unknown = res.body && /json/.test(String(res.headers["content-type"])) ? JSON.parse(res.body) : undefined;
  if (res.statusCode >= 400) {
    const p = (body ?? {}) as { code?: string; detail?: string; errors?: { path: string; message: string }[] };
    throw new AppError((p.code ?? "internal") as ProblemCode, p.detail ?? "the command failed", {
      status: res.statusCode,
      ...(p.errors ? { errors: p.errors } : {}),
    });
  }
  return body;
}
