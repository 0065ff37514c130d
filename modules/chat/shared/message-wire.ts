import { z } from "zod";
import { personSchema } from "./room-wire.ts";
import { attachmentSchema, messageSchema, roomTypes } from "./schemas.ts";

/** What the message, thread, reaction, pin, search and file routes answer (see room-wire.ts). */

export const historyPageSchema = z.object({
  items: z.array(messageSchema),
  hasMoreBefore: z.boolean(),
  hasMoreAfter: z.boolean(),
});
export type HistoryPage = z.infer<typeof historyPageSchema>;

export const threadPageSchema = z.object({
  root: messageSchema,
  replies: z.array(messageSchema),
  hasMore: z.boolean(),
  following: z.boolean(),
});
export type ThreadPage = z.infer<typeof threadPageSchema>;

/** Pins, a room's threads, the threads one follows. */
export const messageListSchema = z.object({ items: z.array(messageSchema) });
export type MessageList = z.infer<typeof messageListSchema>;

export const savedListSchema = z.object({ items: z.array(z.object({ message: messageSchema, savedAt: z.string() })) });
export type SavedItem = z.infer<typeof savedListSchema>["items"][number];
export const savedStateSchema = z.object({ messageId: z.string(), saved: z.boolean() });
export type SavedState = z.infer<typeof savedStateSchema>;

/** Earlier versions of an edited message. */
export const messageEditListSchema = z.object({
  items: z.array(z.object({ text: z.string(), editedBy: z.string(), replacedAt: z.string() })),
});

export const reactionToggledSchema = z.object({ emoji: z.string(), reacted: z.boolean(), count: z.number().int() });
export type ReactionToggled = z.infer<typeof reactionToggledSchema>;
export const reactionListSchema = z.object({
  items: z.array(z.object({ emoji: z.string(), count: z.number().int(), users: z.array(personSchema) })),
});

export const searchHitSchema = z.object({
  message: messageSchema,
  room: z.object({ id: z.string(), type: z.enum(roomTypes), slug: z.string().nullable(), name: z.string() }),
});
export type SearchHit = z.infer<typeof searchHitSchema>;
export const searchPageSchema = z.object({ items: z.array(searchHitSchema), next: z.string().nullable() });

/** A file uploaded into a room, before and after it is sent in a message. */
export const chatFileSchema = z.object({
  id: z.string(),
  roomId: z.string(),
  messageId: z.string().nullable(),
  ownerId: z.string(),
  name: z.string(),
  size: z.number(),
  mimeType: z.string(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  createdAt: z.string(),
  url: z.string(),
  thumbnailUrl: z.string().nullable(),
});
export type ChatFile = z.infer<typeof chatFileSchema>;
/** The upload's answer: the file, and the attachment to send with the message. */
export const uploadedFileSchema = z.object({ file: chatFileSchema, attachment: attachmentSchema });
export type UploadedFile = z.infer<typeof uploadedFileSchema>;

export const messageEnvelopeSchema = z.object({ message: messageSchema });
export type MessageEnvelope = z.infer<typeof messageEnvelopeSchema>;
