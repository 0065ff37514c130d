import { z } from "zod";
import {
  boardBaseSchema,
  cardSchema,
  cellTotalSchema,
  commentSchema,
  listSchema,
  memberSchema,
  swimlaneSchema,
} from "./schemas.ts";
import { checklistItemSchema } from "./checklists.ts";

/**
 * The totals of the cells a card change touched, counted under the board's
 * lock: a viewer sets them (idempotent, unlike +1/−1), which keeps the counts
 * of cells it has only partly loaded right. Absent when no total changed.
 */
const cells = z.array(cellTotalSchema).optional();

/**
 * The payloads of the events the boards record, on the board's topic. A
 * viewer applies them to the page's state: upsert by id, drop on delete,
 * then sort with `compareOrder` — which gives every viewer the server's order.
 */
export const boardsEventSchemas = {
  "boards.board.created": z.object({ board: boardBaseSchema }),
  "boards.board.updated": z.object({ board: boardBaseSchema }),
  "boards.board.deleted": z.object({ boardId: z.string() }),
  "boards.member.added": z.object({ boardId: z.string(), member: memberSchema }),
  "boards.member.updated": z.object({ boardId: z.string(), member: memberSchema }),
  "boards.member.removed": z.object({ boardId: z.string(), userId: z.string() }),
  "boards.list.created": z.object({ list: listSchema }),
  "boards.list.updated": z.object({ list: listSchema }),
  "boards.list.moved": z.object({ list: listSchema }),
  "boards.list.deleted": z.object({ boardId: z.string(), listId: z.string() }),
  "boards.swimlane.created": z.object({ swimlane: swimlaneSchema }),
  "boards.swimlane.updated": z.object({ swimlane: swimlaneSchema }),
  "boards.swimlane.moved": z.object({ swimlane: swimlaneSchema }),
  "boards.swimlane.deleted": z.object({ boardId: z.string(), swimlaneId: z.string() }),
  "boards.card.created": z.object({ card: cardSchema, cells }),
  "boards.card.updated": z.object({ card: cardSchema, cells }),
  "boards.card.moved": z.object({ card: cardSchema, cells }),
  "boards.card.deleted": z.object({ boardId: z.string(), cardId: z.string(), cells }),
  /** The server gave every card of one cell a new, evenly spread key (see server/placement.ts). */
  "boards.card.rekeyed": z.object({
    boardId: z.string(),
    positions: z.array(z.object({ id: z.string(), position: z.string() })),
  }),
  "boards.comment.created": z.object({ comment: commentSchema }),
  /** A checklist item as stored (the card's progress comes with `boards.card.updated`). */
  "boards.checklist_item.created": z.object({ item: checklistItemSchema }),
  "boards.checklist_item.updated": z.object({ item: checklistItemSchema }),
  "boards.checklist_item.deleted": z.object({ cardId: z.string(), itemId: z.string() }),
  "boards.comment.deleted": z.object({ cardId: z.string(), commentId: z.string() }),
};
export type BoardsEventName = keyof typeof boardsEventSchemas;
export type BoardsEventPayloads = { [K in BoardsEventName]: z.output<(typeof boardsEventSchemas)[K]> };
