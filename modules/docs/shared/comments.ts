import { z } from "zod";

const person = z.object({ id: z.string(), displayName: z.string() });
/** A Yjs relative position (`Y.encodeRelativePosition`), base64: it follows its character through everyone's edits. */
const anchorPosition = z.base64().max(2000);

export const commentSchema = z.object({ id: z.string(), author: person, text: z.string(), createdAt: z.string() });
export type DocComment = z.output<typeof commentSchema>;

/** A thread of comments on a range of the text. */
export const threadSchema = z.object({
  id: z.string(),
  anchor: z.object({ start: z.string(), end: z.string() }),
  /** The words selected when the thread was opened. */
  quote: z.string(),
  /** The words the anchor covers now (after everyone's edits); null once they are all deleted. */
  covered: z.string().nullable(),
  resolved: z.object({ at: z.string(), by: person }).nullable(),
  comments: z.array(commentSchema),
  /** What the viewer may do with this thread. */
  actions: z.object({ reply: z.boolean(), resolve: z.boolean() }),
});
export type DocThread = z.output<typeof threadSchema>;

export const threadListSchema = z.object({
  items: z.array(threadSchema),
  allowed: z.object({ comment: z.boolean() }),
});
export type ThreadList = z.output<typeof threadListSchema>;

const commentText = z.string().trim().min(1).max(5000);

export const createThreadBody = z.object({
  anchor: z.object({ start: anchorPosition, end: anchorPosition }),
  quote: z.string().max(2000),
  text: commentText,
});
export const replyBody = z.object({ text: commentText });

/** The stateless message the co-editing socket sends when a document's comments change (clients fetch them again). */
export const COMMENTS_CHANGED = '{"type":"docs.comments.changed"}';
