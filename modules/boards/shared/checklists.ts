import { z } from "zod";

/**
 * A card's checklist: items in order, each with an optional assignee and due
 * date. One checklist per card (see docs/DECISIONS.md); its progress is on
 * the card summary (`checklistDone` of `checklistTotal`).
 */
export const checklistItemSchema = z.object({
  id: z.string(),
  cardId: z.string(),
  text: z.string(),
  done: z.boolean(),
  assigneeId: z.string().nullable(),
  dueAt: z.string().nullable(),
  /** Fractional index among the card's items (shared/order.ts). */
  position: z.string(),
  createdAt: z.string(),
});
export type ChecklistItem = z.infer<typeof checklistItemSchema>;
export const checklistSchema = z.object({ items: z.array(checklistItemSchema) });
export type Checklist = z.infer<typeof checklistSchema>;

const text = z.string().trim().min(1).max(500);
const dueAt = z.iso.datetime({ offset: true }).nullable();

/** A new item goes at the bottom of the card's checklist. */
export const createChecklistItemBody = z.object({
  text,
  assigneeId: z.uuid().nullable().default(null),
  dueAt: dueAt.default(null),
});
export const updateChecklistItemBody = z.object({
  text: text.optional(),
  done: z.boolean().optional(),
  assigneeId: z.uuid().nullable().optional(),
  dueAt: dueAt.optional(),
});
