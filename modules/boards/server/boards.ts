import { sql } from "kysely";
import { AppError, isUser, type Actor, type Kernel } from "@ensemble/kernel";
import { strongestRole } from "../shared/capabilities.ts";
import type { BoardBase, Card, CardSummary, Comment, Label, List, Swimlane } from "../shared/schemas.ts";
import {
  BoardResource,
  type BoardRecord,
  type CardRecord,
  type CommentRecord,
  type ListRecord,
  type SwimlaneRecord,
} from "./resources.ts";
import type {
  BoardsBoardsTable,
  BoardsCardsTable,
  BoardsCommentsTable,
  BoardsDb,
  BoardsListsTable,
  BoardsSwimlanesTable,
} from "./tables.ts";

const NOBODY = "00000000-0000-0000-0000-000000000000";

/**
 * Boards with the viewer's explicit role and group membership joined in (one
 * statement): the record the policy decides on.
 */
function boardsWithViewer(db: BoardsDb, actor: Actor) {
  const uid = isUser(actor) ? actor.id : NOBODY;
  return db
    .selectFrom("boards_boards as b")
    .leftJoin("boards_members as m", (j) => j.onRef("m.board_id", "=", "b.id").on("m.user_id", "=", uid))
    .leftJoin("group_members as g", (j) => j.onRef("g.group_id", "=", "b.group_id").on("g.user_id", "=", uid))
    .selectAll("b")
    .select(["m.role as member_role", "g.role as group_role"]);
}

type JoinedBoard = BoardsBoardsTable & { member_role: BoardRecord["viewerRole"]; group_role: string | null };

function boardRecord(row: JoinedBoard): BoardRecord {
  const { member_role, group_role, ...board } = row;
  // The owning group's owners administer its boards.
  const derived = group_role === "owner" ? "admin" : null;
  return { ...board, viewerRole: strongestRole([member_role, derived]), viewerInGroup: group_role !== null };
}

export async function loadBoard(db: BoardsDb, id: string, actor: Actor): Promise<BoardRecord | undefined> {
  const row = await boardsWithViewer(db, actor).where("b.id", "=", id).executeTakeFirst();
  return row ? boardRecord(row as JoinedBoard) : undefined;
}

/** The boards the actor may read (the policy's scope), newest first, each with the viewer's role for its actions. */
export async function visibleBoards(k: Kernel, db: BoardsDb, actor: Actor): Promise<BoardRecord[]> {
  const rows = await boardsWithViewer(db, actor)
    .where(k.policy.scope(BoardResource, actor)("b"))
    .orderBy("b.id", "desc")
    .limit(500)
    .execute();
  return rows.map((r) => boardRecord(r as JoinedBoard));
}

async function withBoard<T extends { board_id: string }>(
  db: BoardsDb,
  row: T | undefined,
  actor: Actor,
): Promise<(T & { board: BoardRecord }) | undefined> {
  if (!row) return undefined;
  const board = await loadBoard(db, row.board_id, actor);
  return board ? { ...row, board } : undefined;
}

export const loadList = async (db: BoardsDb, id: string, actor: Actor): Promise<ListRecord | undefined> =>
  withBoard(db, await db.selectFrom("boards_lists").selectAll().where("id", "=", id).executeTakeFirst(), actor);
export const loadSwimlane = async (db: BoardsDb, id: string, actor: Actor): Promise<SwimlaneRecord | undefined> =>
  withBoard(db, await db.selectFrom("boards_swimlanes").selectAll().where("id", "=", id).executeTakeFirst(), actor);
export const loadCard = async (db: BoardsDb, id: string, actor: Actor): Promise<CardRecord | undefined> =>
  withBoard(db, await db.selectFrom("boards_cards").selectAll().where("id", "=", id).executeTakeFirst(), actor);
export const loadComment = async (db: BoardsDb, id: string, actor: Actor): Promise<CommentRecord | undefined> =>
  withBoard(db, await db.selectFrom("boards_comments").selectAll().where("id", "=", id).executeTakeFirst(), actor);

/**
 * Takes the board's row lock for the rest of the transaction: every write on
 * a board goes through it, so placements, WIP counts and the board topic's
 * event order follow one commit order (PostgreSQL: row lock; SQLite: its
 * single writer). Returns false when the board is gone.
 */
export async function lockBoard(tx: BoardsDb, boardId: string): Promise<boolean> {
  const r = await tx
    .updateTable("boards_boards")
    .set({ version: sql<number>`version + 1` })
    .where("id", "=", boardId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Runs `fn` in a transaction holding the board's lock (404 when the board is gone meanwhile). */
export async function withBoardLock<T>(db: BoardsDb, boardId: string, fn: (tx: BoardsDb) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    if (!(await lockBoard(tx, boardId))) throw new AppError("not_found", "board not found");
    return fn(tx);
  });
}

const parseJson = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

export const presentBoardBase = (b: BoardsBoardsTable): BoardBase => ({
  id: b.id,
  title: b.title,
  description: b.description,
  visibility: b.visibility,
  groupId: b.group_id,
  createdBy: b.created_by,
  labels: parseJson<Label[]>(b.labels, []),
  createdAt: b.created_at,
  updatedAt: b.updated_at,
});

export const presentList = (l: BoardsListsTable): List => ({
  id: l.id,
  boardId: l.board_id,
  title: l.title,
  position: l.position,
  wipLimit: l.wip_limit,
  wipMode: l.wip_mode,
});

export const presentSwimlane = (s: BoardsSwimlanesTable): Swimlane => ({
  id: s.id,
  boardId: s.board_id,
  title: s.title,
  position: s.position,
});

/** The columns the board page reads of each card (see `cardSummarySchema`). */
export const cardSummaryColumns = [
  "id",
  "list_id",
  "swimlane_id",
  "title",
  "label_ids",
  "assignee_ids",
  "due_at",
  "done",
  "position",
  "comment_count",
  "checklist_done",
  "checklist_total",
] as const;
type SummaryRow = Pick<BoardsCardsTable, (typeof cardSummaryColumns)[number]>;

/** Empty JSON lists are most cards' labels and assignees: no parse for them. */
const idList = (text: string): string[] => (text === "[]" ? [] : parseJson<string[]>(text, []));

export const presentCardSummary = (c: SummaryRow): CardSummary => ({
  id: c.id,
  listId: c.list_id,
  swimlaneId: c.swimlane_id,
  title: c.title,
  labelIds: idList(c.label_ids),
  assigneeIds: idList(c.assignee_ids),
  dueAt: c.due_at,
  done: c.done === 1,
  position: c.position,
  commentCount: Number(c.comment_count),
  checklistDone: Number(c.checklist_done),
  checklistTotal: Number(c.checklist_total),
});

export const presentCard = (c: BoardsCardsTable): Card => ({
  ...presentCardSummary(c),
  boardId: c.board_id,
  description: c.description,
  archived: c.archived_at !== null,
  createdBy: c.created_by,
  createdAt: c.created_at,
  updatedAt: c.updated_at,
});

export const presentComment = (c: BoardsCommentsTable): Comment => ({
  id: c.id,
  cardId: c.card_id,
  authorId: c.author_id,
  text: c.text,
  createdAt: c.created_at,
});
