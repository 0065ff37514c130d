import { z } from "zod";
import { boardRoles } from "./capabilities.ts";
import { boardActions } from "./resources.ts";

/**
 * The boards' request bodies and what the routes answer (schema first: the
 * server serialises through these, the web's types are inferred from them).
 */

export const visibilities = ["private", "group", "organisation"] as const;
export const visibilitySchema = z.enum(visibilities);
export type Visibility = z.infer<typeof visibilitySchema>;
export const boardRoleSchema = z.enum(boardRoles);
export const wipModes = ["soft", "hard"] as const;
export const wipModeSchema = z.enum(wipModes);
export const labelColors = ["green", "yellow", "orange", "red", "purple", "blue", "sky", "grey"] as const;

const title = z.string().trim().min(1).max(200);
const description = z.string().max(20_000);
/** A neighbour the client names for a placement: a card (or list, swimlane) id, `null` for « at the top ». */
const neighbour = z.uuid().nullable().optional();

export const labelSchema = z.object({ id: z.string(), name: z.string(), color: z.enum(labelColors) });
export type Label = z.infer<typeof labelSchema>;

/** A board as every viewer may see it (event payloads); `boardSchema` adds the viewer's allowed actions. */
export const boardBaseSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  visibility: visibilitySchema,
  /** The owning group, or null for a board owned by its creator. */
  groupId: z.string().nullable(),
  createdBy: z.string().nullable(),
  labels: z.array(labelSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const boardSchema = boardBaseSchema.extend({ actions: z.array(z.enum(boardActions)) });
export type BoardBase = z.infer<typeof boardBaseSchema>;
export type Board = z.infer<typeof boardSchema>;
export const boardListSchema = z.object({ items: z.array(boardSchema) });
export type BoardPage = z.infer<typeof boardListSchema>;

export const swimlaneSchema = z.object({
  id: z.string(),
  boardId: z.string(),
  title: z.string(),
  position: z.string(),
});
export type Swimlane = z.infer<typeof swimlaneSchema>;

export const listSchema = z.object({
  id: z.string(),
  boardId: z.string(),
  title: z.string(),
  position: z.string(),
  /** Most cards the list should hold; null for no limit. */
  wipLimit: z.number().int().nullable(),
  /** soft: a move past the limit succeeds with a warning; hard: it is refused (409 boards_wip_limit). */
  wipMode: wipModeSchema,
});
export type List = z.infer<typeof listSchema>;

export const cardSchema = z.object({
  id: z.string(),
  boardId: z.string(),
  listId: z.string(),
  swimlaneId: z.string(),
  title: z.string(),
  description: z.string(),
  labelIds: z.array(z.string()),
  assigneeIds: z.array(z.string()),
  dueAt: z.string().nullable(),
  done: z.boolean(),
  archived: z.boolean(),
  /** Fractional index within its (list, swimlane) cell; see shared/order.ts for the total order. */
  position: z.string(),
  commentCount: z.number().int(),
  /** Checklist progress: items done of all items (0 of 0 without a checklist). */
  checklistDone: z.number().int(),
  checklistTotal: z.number().int(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Card = z.infer<typeof cardSchema>;

/**
 * What the board page shows of a card. The description, authorship and times
 * come with the card itself (`GET /api/boards/cards/:id`, the card dialog):
 * a 5,000-card board then answers in well under half the bytes.
 */
export const cardSummarySchema = cardSchema.pick({
  id: true,
  listId: true,
  swimlaneId: true,
  title: true,
  labelIds: true,
  assigneeIds: true,
  dueAt: true,
  done: true,
  position: true,
  commentCount: true,
  checklistDone: true,
  checklistTotal: true,
});
export type CardSummary = z.infer<typeof cardSummarySchema>;

/** « Mes tâches »: one's open cards on every board, each with its board. */
export const myTasksSchema = z.object({
  items: z.array(cardSummarySchema.extend({ boardId: z.string(), boardTitle: z.string() })),
});
export type MyTasks = z.infer<typeof myTasksSchema>;

/**
 * How many open cards one (list, swimlane) cell holds. The board page loads
 * the first `CELL_PAGE` cards of each cell and the rest page by page, so
 * opening a board costs what the screen shows, not the board's size; the
 * totals give the WIP counts and how many are left to load.
 */
export const cellTotalSchema = z.object({ listId: z.string(), swimlaneId: z.string(), total: z.number().int() });
export type CellTotal = z.infer<typeof cellTotalSchema>;
export const CELL_PAGE = 50;

/** The next cards of one cell after a cursor (the last card the viewer holds), in order. */
export const cellPageQuery = z.object({
  listId: z.uuid(),
  swimlaneId: z.uuid(),
  afterPosition: z.string().min(1).max(200).optional(),
  afterId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(CELL_PAGE),
});
export const cellPageSchema = z.object({ items: z.array(cardSummarySchema), total: z.number().int() });
export type CellPage = z.infer<typeof cellPageSchema>;

/**
 * A created or moved card, whether it took its list past a soft WIP limit,
 * and the totals of the cells it left and entered.
 */
export const cardChangeSchema = z.object({
  card: cardSchema,
  wipExceeded: z.boolean(),
  cells: z.array(cellTotalSchema),
});
export type CardChange = z.infer<typeof cardChangeSchema>;

export const memberSchema = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: boardRoleSchema,
});
export type Member = z.infer<typeof memberSchema>;
export const memberListSchema = z.object({ items: z.array(memberSchema) });

export const commentSchema = z.object({
  id: z.string(),
  cardId: z.string(),
  authorId: z.string().nullable(),
  text: z.string(),
  createdAt: z.string(),
});
export type Comment = z.infer<typeof commentSchema>;
export const commentListSchema = z.object({ items: z.array(commentSchema) });

/**
 * What the board page opens with, in one answer: every swimlane and list, the
 * first `CELL_PAGE` open cards of each cell (archived cards stay out) and each
 * non-empty cell's total.
 */
export const boardViewSchema = z.object({
  board: boardSchema,
  swimlanes: z.array(swimlaneSchema),
  lists: z.array(listSchema),
  cards: z.array(cardSummarySchema),
  cells: z.array(cellTotalSchema),
  members: z.array(memberSchema),
});
export type BoardView = z.infer<typeof boardViewSchema>;

/** What an import created and what it could not bring. */
export const importReportSchema = z.object({
  lists: z.number().int(),
  swimlanes: z.number().int(),
  cards: z.number().int(),
  labels: z.number().int(),
  comments: z.number().int(),
  /** Members added besides the importer. */
  members: z.number().int(),
  /** Usernames or e-mails the export names that match nobody the importer may see. */
  unknownPeople: z.array(z.string()),
  /** Left out: checklists and attachments (not imported yet), lists closed in the source. */
  skipped: z.object({ checklists: z.number().int(), attachments: z.number().int(), closedLists: z.number().int() }),
});
export type ImportReport = z.infer<typeof importReportSchema>;
export const importResultSchema = z.object({ board: boardSchema, report: importReportSchema });
export type ImportResult = z.infer<typeof importResultSchema>;

export const createBoardBody = z.object({
  title,
  description: description.default(""),
  visibility: visibilitySchema.default("private"),
  /** Owning group: its members read a `group` board and its owners administer it. */
  groupId: z.uuid().optional(),
  /** Titles of the first lists, left to right. */
  lists: z.array(title).max(20).default([]),
});
export const updateBoardBody = z.object({
  title: title.optional(),
  description: description.optional(),
  visibility: visibilitySchema.optional(),
  labels: z
    .array(z.object({ id: z.uuid().optional(), name: z.string().trim().max(50), color: z.enum(labelColors) }))
    .max(50)
    .optional(),
});
export const addMemberBody = z.object({ userId: z.uuid(), role: boardRoleSchema.default("normal") });
export const setRoleBody = z.object({ role: boardRoleSchema });

/** Where to put a moved or created item; the rule is in server/placement.ts. */
export const placementBody = z.object({ afterId: neighbour, beforeId: neighbour });
export const createListBody = placementBody.extend({
  title,
  wipLimit: z.number().int().min(1).max(999).nullable().default(null),
  wipMode: wipModeSchema.default("soft"),
});
export const updateListBody = z.object({
  title: title.optional(),
  wipLimit: z.number().int().min(1).max(999).nullable().optional(),
  wipMode: wipModeSchema.optional(),
});
export const createSwimlaneBody = placementBody.extend({ title });
export const updateSwimlaneBody = z.object({ title });
export const createCardBody = placementBody.extend({
  listId: z.uuid(),
  /** Defaults to the board's first swimlane. */
  swimlaneId: z.uuid().optional(),
  title,
  description: description.default(""),
});
export const updateCardBody = z.object({
  title: title.optional(),
  description: description.optional(),
  labelIds: z.array(z.uuid()).max(50).optional(),
  assigneeIds: z.array(z.uuid()).max(50).optional(),
  dueAt: z.iso.datetime({ offset: true }).nullable().optional(),
  done: z.boolean().optional(),
  archived: z.boolean().optional(),
});
export const moveCardBody = placementBody.extend({ listId: z.uuid(), swimlaneId: z.uuid().optional() });
export const createCommentBody = z.object({ text: z.string().trim().min(1).max(10_000) });
