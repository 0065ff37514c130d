import { z } from "zod";

/**
 * The realtime wire protocol, shared by the server gateway and
 * `@ensemble/client`. One JSON object per WebSocket text frame. Bump
 * REALTIME_PROTOCOL_VERSION on an incompatible change; the client sends the
 * version it speaks as `?v=` and the server refuses others with close code
 * `unsupportedVersion`.
 */
export const REALTIME_PROTOCOL_VERSION = 1;
export const REALTIME_PATH = "/ws";

/** Topics are `<kind>:<id>` (`user:…`, `room:…`, `board:…`, `presence:…`). */
export const topicSchema = z
  .string()
  .min(3)
  .max(200)
  .regex(/^[a-z][a-z0-9_-]*:[A-Za-z0-9_.:-]+$/);

export const presenceStatusSchema = z.enum(["online", "away", "dnd", "offline"]);
export type PresenceStatus = z.infer<typeof presenceStatusSchema>;
/** What one device may declare; `offline` is what the server reports when no device is connected. */
export const devicePresenceSchema = z.enum(["online", "away", "dnd"]);

/** A domain event as clients see it. `name` is `module.resource.verb`. */
export const wireEventSchema = z.object({
  id: z.string(),
  name: z.string(),
  actorId: z.string().nullable(),
  resources: z.record(z.string(), z.string()),
  payload: z.unknown(),
  createdAt: z.string(),
});
export type WireEvent<P = unknown> = Omit<z.infer<typeof wireEventSchema>, "payload"> & { payload: P };

const seq = z.number().int().min(0);

export const clientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("subscribe"), topic: topicSchema, since: seq.optional() }),
  z.object({ type: z.literal("unsubscribe"), topic: topicSchema }),
  z.object({ type: z.literal("presence"), status: devicePresenceSchema }),
  z.object({ type: z.literal("typing"), topic: topicSchema }),
  z.object({ type: z.literal("ping"), id: z.string().max(64).optional() }),
  /**
   * A message for the module that owns the topic (a meeting's signalling):
   * the owner decides whether this sender may send it and answers with one
   * `reply` carrying the same `ref`.
   */
  z.object({
    type: z.literal("send"),
    topic: topicSchema,
    ref: z.string().max(64).optional(),
    body: z.record(z.string(), z.unknown()),
  }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const serverMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("hello"),
    version: z.number().int(),
    connectionId: z.string(),
    userId: z.string(),
    heartbeatMs: z.number().int(),
  }),
  z.object({ type: z.literal("event"), topic: z.string(), seq, event: wireEventSchema }),
  /** The subscription is live; `seq` is the topic's last sequence number once the catch-up was sent. */
  z.object({ type: z.literal("subscribed"), topic: z.string(), seq }),
  /** Not allowed (or no longer: `reason: "revoked"`). The subscription is gone. */
  z.object({ type: z.literal("refused"), topic: z.string(), reason: z.enum(["forbidden", "revoked", "invalid"]) }),
  /** `since` is older than the retained log: refetch the resource, then resubscribe from `seq`. */
  z.object({ type: z.literal("resync-required"), topic: z.string(), seq }),
  z.object({ type: z.literal("presence"), userId: z.string(), status: presenceStatusSchema }),
  z.object({ type: z.literal("typing"), topic: z.string(), userId: z.string() }),
  z.object({ type: z.literal("pong"), id: z.string().optional() }),
  z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
  /** The topic owner's answer to one `send`: its body, or a refusal with a problem code. */
  z.object({
    type: z.literal("reply"),
    topic: z.string(),
    ref: z.string().optional(),
    ok: z.boolean(),
    body: z.record(z.string(), z.unknown()).optional(),
    code: z.string().optional(),
  }),
  /** A message the topic owner pushes to one connection (a media offer, a lobby decision). */
  z.object({ type: z.literal("message"), topic: z.string(), body: z.record(z.string(), z.unknown()) }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
