import { z } from "zod";
import { importLimits, importText, importTitle, labelColor, type ImportedBoard } from "./imported-board.ts";

const id = z.string().max(100);
const sort = z.number().nullable().default(0);

/**
 * A Wekan board export (« Board menu → Export board », `_format`
 * « wekan-board-1.0.0 »): the fields this import reads. Lists, swimlanes
 * and cards are ordered by `sort`; members are matched by username (the
 * export's `users`); a list's enabled WIP limit comes along.
 */
export const wekanExport = z.object({
  _format: z.string().max(50).optional(),
  title: importTitle,
  description: importText(20_000).nullable().default(""),
  labels: z
    .array(
      z.object({
        _id: id,
        name: importText(100).nullable().default(""),
        color: z.string().max(30).nullable().default(null),
      }),
    )
    .max(importLimits.labels)
    .default([]),
  members: z
    .array(
      z.object({
        userId: id,
        isAdmin: z.boolean().default(false),
        isActive: z.boolean().default(true),
        isCommentOnly: z.boolean().default(false),
        isNoComments: z.boolean().default(false),
      }),
    )
    .max(1_000)
    .default([]),
  lists: z
    .array(
      z.object({
        _id: id,
        title: importTitle,
        sort,
        archived: z.boolean().default(false),
        wipLimit: z
          .object({
            value: z.number().int().min(0).max(10_000),
            enabled: z.boolean(),
            soft: z.boolean().default(false),
          })
          .partial()
          .optional(),
      }),
    )
    .max(importLimits.lists),
  swimlanes: z
    .array(z.object({ _id: id, title: importTitle, sort, archived: z.boolean().default(false) }))
    .max(importLimits.swimlanes)
    .default([]),
  cards: z
    .array(
      z.object({
        _id: id,
        title: importTitle,
        description: importText(20_000).nullable().default(""),
        listId: id,
        swimlaneId: id.nullable().default(null),
        sort,
        archived: z.boolean().default(false),
        labelIds: z.array(id).max(50).nullable().default([]),
        assignees: z.array(id).max(100).nullable().default([]),
        members: z.array(id).max(100).nullable().default([]),
        dueAt: z.iso.datetime({ offset: true }).nullable().default(null),
        endAt: z.iso.datetime({ offset: true }).nullable().default(null),
      }),
    )
    .max(importLimits.cards),
  comments: z
    .array(z.object({ cardId: id, text: importText(20_000), userId: id.nullable().default(null) }))
    .max(importLimits.comments)
    .default([]),
  checklists: z
    .array(z.object({ _id: id }))
    .max(importLimits.cards)
    .default([]),
  attachments: z
    .array(z.object({ _id: id }))
    .max(importLimits.cards)
    .default([]),
  users: z
    .array(z.object({ _id: id, username: z.string().max(200) }))
    .max(1_000)
    .default([]),
});

const bySort = <T extends { sort: number | null }>(xs: T[]) => [...xs].sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0));

export function fromWekan(w: z.output<typeof wekanExport>): ImportedBoard {
  const username = new Map(w.users.map((u) => [u._id, u.username]));
  const lists = bySort(w.lists.filter((l) => !l.archived));
  const lanes = bySort(w.swimlanes.filter((s) => !s.archived));
  const listIds = new Set(lists.map((l) => l._id));
  const laneIds = new Set(lanes.map((s) => s._id));
  const cards = bySort(w.cards.filter((c) => listIds.has(c.listId)));
  const cardIds = new Set(cards.map((c) => c._id));
  return {
    title: w.title,
    description: w.description ?? "",
    labels: w.labels.map((l) => ({ key: l._id, name: l.name ?? "", color: labelColor(l.color) })),
    swimlanes: lanes.map((s) => ({ key: s._id, title: s.title })),
    lists: lists.map((l) => {
      const limit = l.wipLimit?.enabled && l.wipLimit.value ? l.wipLimit.value : null;
      return {
        key: l._id,
        title: l.title,
        wipLimit: limit,
        wipMode: limit !== null && !l.wipLimit?.soft ? "hard" : "soft",
      };
    }),
    cards: cards.map((c) => ({
      key: c._id,
      list: c.listId,
      // A card on an archived or missing swimlane goes on the first one.
      swimlane: c.swimlaneId && laneIds.has(c.swimlaneId) ? c.swimlaneId : null,
      title: c.title,
      description: c.description ?? "",
      labels: c.labelIds ?? [],
      assignees: [...new Set([...(c.assignees ?? []), ...(c.members ?? [])])].flatMap((u) => username.get(u) ?? []),
      dueAt: c.dueAt,
      done: c.endAt !== null,
      archived: c.archived,
    })),
    comments: w.comments
      .filter((c) => cardIds.has(c.cardId))
      .map((c) => ({
        card: c.cardId,
        author: (c.userId && username.get(c.userId)) ?? null,
        text: c.text.slice(0, 10_000),
      })),
    members: w.members.flatMap((m) => {
      const login = username.get(m.userId);
      if (!login || !m.isActive) return [];
      const role = m.isAdmin ? "admin" : m.isNoComments ? "read_only" : m.isCommentOnly ? "comment_only" : "normal";
      return [{ login, role } as const];
    }),
    skipped: {
      checklists: w.checklists.length,
      attachments: w.attachments.length,
      closedLists: w.lists.length - lists.length,
    },
  };
}
