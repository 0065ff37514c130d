import { z } from "zod";
import { boardRoleSchema, labelColors } from "../shared/schemas.ts";
import { compareOrder } from "../shared/order.ts";
import { importLimits, importText, importTitle, type ImportedBoard } from "./imported-board.ts";
import type { BoardRecord } from "./resources.ts";
import type { BoardsDb } from "./tables.ts";
import { presentBoardBase } from "./boards.ts";

/**
 * Our own export of a board (`GET /api/boards/:id/export`), which
 * `POST /api/boards/import` reads back: everything on the board in order,
 * people by username. Ids are the board's, only to link its parts.
 */
export const ensembleExport = z.object({
  format: z.literal("ensemble.board"),
  version: z.literal(1),
  title: importTitle,
  description: importText(20_000),
  labels: z
    .array(z.object({ id: z.string().max(100), name: importText(100), color: z.enum(labelColors) }))
    .max(importLimits.labels),
  swimlanes: z.array(z.object({ id: z.string().max(100), title: z.string().max(200) })).max(importLimits.swimlanes),
  lists: z
    .array(
      z.object({
        id: z.string().max(100),
        title: importTitle,
        wipLimit: z.number().int().min(0).max(10_000).nullable(),
        wipMode: z.enum(["soft", "hard"]),
      }),
    )
    .max(importLimits.lists),
  cards: z
    .array(
      z.object({
        id: z.string().max(100),
        listId: z.string().max(100),
        swimlaneId: z.string().max(100),
        title: importTitle,
        description: importText(20_000),
        labelIds: z.array(z.string().max(100)).max(50),
        assignees: z.array(z.string().max(200)).max(100),
        dueAt: z.iso.datetime({ offset: true }).nullable(),
        done: z.boolean(),
        archived: z.boolean(),
      }),
    )
    .max(importLimits.cards),
  comments: z
    .array(z.object({ cardId: z.string().max(100), author: z.string().max(200).nullable(), text: importText(10_000) }))
    .max(importLimits.comments),
  members: z.array(z.object({ username: z.string().max(200), role: boardRoleSchema })).max(1_000),
});
export type EnsembleExport = z.output<typeof ensembleExport>;

export function fromEnsemble(e: EnsembleExport): ImportedBoard {
  return {
    title: e.title,
    description: e.description,
    labels: e.labels.map((l) => ({ key: l.id, name: l.name, color: l.color })),
    swimlanes: e.swimlanes.map((s) => ({ key: s.id, title: s.title })),
    lists: e.lists.map((l) => ({ key: l.id, title: l.title, wipLimit: l.wipLimit, wipMode: l.wipMode })),
    cards: e.cards.map((c) => ({
      key: c.id,
      list: c.listId,
      swimlane: c.swimlaneId,
      title: c.title,
      description: c.description,
      labels: c.labelIds,
      assignees: c.assignees,
      dueAt: c.dueAt,
      done: c.done,
      archived: c.archived,
    })),
    comments: e.comments.map((c) => ({ card: c.cardId, author: c.author, text: c.text })),
    members: e.members.map((m) => ({ login: m.username, role: m.role })),
    skipped: { checklists: 0, attachments: 0, closedLists: 0 },
  };
}

/** The whole board as `ensembleExport`, archived cards included, in the board's order. */
export async function exportBoard(db: BoardsDb, b: BoardRecord): Promise<EnsembleExport> {
  const [swimlanes, lists, cards, comments, members] = await Promise.all([
    db.selectFrom("boards_swimlanes").selectAll().where("board_id", "=", b.id).execute(),
    db.selectFrom("boards_lists").selectAll().where("board_id", "=", b.id).execute(),
    db.selectFrom("boards_cards").selectAll().where("board_id", "=", b.id).execute(),
    db.selectFrom("boards_comments").selectAll().where("board_id", "=", b.id).orderBy("id").execute(),
    db
      .selectFrom("boards_members as m")
      .innerJoin("users as u", "u.id", "m.user_id")
      .select(["u.username", "m.role"])
      .where("m.board_id", "=", b.id)
      .orderBy("u.username")
      .execute(),
  ]);
  const ids = (text: string) => JSON.parse(text) as string[];
  // Assignees and comment authors by username: ids mean nothing on another server.
  const people = [
    ...new Set([...cards.flatMap((c) => ids(c.assignee_ids)), ...comments.flatMap((c) => c.author_id ?? [])]),
  ];
  const login = new Map(
    people.length
      ? (await db.selectFrom("users").select(["id", "username"]).where("id", "in", people).execute()).map((u) => [
          u.id,
          u.username,
        ])
      : [],
  );
  const base = presentBoardBase(b);
  return {
    format: "ensemble.board",
    version: 1,
    title: base.title,
    description: base.description,
    labels: base.labels,
    swimlanes: swimlanes.sort(compareOrder).map((s) => ({ id: s.id, title: s.title })),
    lists: lists
      .sort(compareOrder)
      .map((l) => ({ id: l.id, title: l.title, wipLimit: l.wip_limit, wipMode: l.wip_mode })),
    cards: cards.sort(compareOrder).map((c) => ({
      id: c.id,
      listId: c.list_id,
      swimlaneId: c.swimlane_id,
      title: c.title,
      description: c.description,
      labelIds: ids(c.label_ids),
      assignees: ids(c.assignee_ids).flatMap((id) => login.get(id) ?? []),
      dueAt: c.due_at,
      done: c.done === 1,
      archived: c.archived_at !== null,
    })),
    comments: comments.map((c) => ({
      cardId: c.card_id,
      author: (c.author_id && login.get(c.author_id)) ?? null,
      text: c.text,
    })),
    members: members.map((m) => ({ username: m.username, role: m.role })),
  };
}
