import { z } from "zod";

export const mediaKind = z.enum(["audio", "video"]);
export type MediaKind = z.infer<typeof mediaKind>;

/**
 * What a client sends on `meeting:<id>` over /ws (`{type:"send", topic, body}`).
 * Every operation is decided by the server from the sender's attendance: a
 * person waiting in the lobby, denied or gone gets `forbidden` for all of
 * them except `leave`.
 */
export const meetingOpSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("leave") }),
  z.object({ op: z.literal("participants") }),
  z.object({ op: z.literal("chat"), text: z.string().trim().min(1).max(4_000) }),
  z.object({ op: z.literal("notes") }),
  z.object({ op: z.literal("media.join") }),
  z.object({
    op: z.literal("media.publish"),
    sdp: z.string().max(100_000),
    /** Kinds switched off from the start (joining muted): the SFU forwards none of their packets. */
    muted: z.array(mediaKind).max(2).optional(),
  }),
  z.object({ op: z.literal("media.subscribe"), publisherId: z.string().max(64) }),
  z.object({ op: z.literal("media.answer"), peerId: z.string().max(64), sdp: z.string().max(100_000) }),
  z.object({ op: z.literal("media.leave") }),
  /** The sender's microphone or camera switched off or on: told to the others, and the SFU stops forwarding it. */
  z.object({ op: z.literal("media.mute"), kind: mediaKind, muted: z.boolean() }),
  z.object({ op: z.literal("admit"), attendeeId: z.uuid() }),
  z.object({ op: z.literal("deny"), attendeeId: z.uuid() }),
  z.object({ op: z.literal("admitAll") }),
  z.object({ op: z.literal("remove"), attendeeId: z.uuid() }),
  z.object({ op: z.literal("lock"), locked: z.boolean() }),
  z.object({ op: z.literal("end") }),
]);
export type MeetingOp = z.infer<typeof meetingOpSchema>;
export const meetingOps = meetingOpSchema.options.map((o) => o.shape.op.value);
