import { z } from "zod";
import { importLimits, importText, importTitle, labelColor, type ImportedBoard } from "./imported-board.ts";

const id = z.string().max(100);
const pos = z.number().default(0);

/**
 * A Trello board export (« Menu → Print, export and share → Export as JSON »):
 * the fields this import reads; the many others are ignored. Lists and cards
 * are ordered by `pos`; comments are `commentCard` actions; members are
 * matched by username. Trello has no swimlanes: everything goes on one.
 */
export const trelloExport = z.object({
  name: importTitle,
  desc: importText(20_000).default(""),
  labels: z
    .array(
      z.object({
        id,
        name: importText(100).nullable().default(""),
        color: z.string().max(30).nullable().default(null),
      }),
    )
    .max(importLimits.labels)
    .default([]),
  lists: z.array(z.object({ id, name: importTitle, closed: z.boolean().default(false), pos })).max(importLimits.lists),
  cards: z
    .array(
      z.object({
        id,
        name: importTitle,
        desc: importText(20_000).default(""),
        idList: id,
        idLabels: z.array(id).max(50).default([]),
        idMembers: z.array(id).max(100).default([]),
        due: z.iso.datetime({ offset: true }).nullable().default(null),
        dueComplete: z.boolean().default(false),
        closed: z.boolean().default(false),
        pos,
        badges: z
          .object({ attachments: z.number().int().min(0).default(0) })
          .partial()
          .default({}),
      }),
    )
    .max(importLimits.cards),
  checklists: z.array(z.object({ id })).max(importLimits.cards).default([]),
  actions: z
    .array(
      z.object({
        type: z.string().max(100),
        idMemberCreator: id.optional(),
        data: z.object({ text: importText(20_000).optional(), card: z.object({ id }).optional() }).default({}),
      }),
    )
    .max(importLimits.comments * 4)
    .default([]),
  members: z
    .array(z.object({ id, username: z.string().max(200) }))
    .max(1_000)
    .default([]),
  memberships: z
    .array(z.object({ idMember: id, memberType: z.string().max(30) }))
    .max(1_000)
    .default([]),
});

const byPos = <T extends { pos: number }>(xs: T[]) => [...xs].sort((a, b) => a.pos - b.pos);

export function fromTrello(t: z.output<typeof trelloExport>): ImportedBoard {
  const username = new Map(t.members.map((m) => [m.id, m.username]));
  const open = byPos(t.lists.filter((l) => !l.closed));
  const openIds = new Set(open.map((l) => l.id));
  const cards = byPos(t.cards.filter((c) => openIds.has(c.idList)));
  const cardIds = new Set(cards.map((c) => c.id));
  const roles = { admin: "admin", normal: "normal", observer: "read_only" } as const;
  return {
    title: t.name,
    description: t.desc,
    labels: t.labels.map((l) => ({ key: l.id, name: l.name ?? "", color: labelColor(l.color) })),
    swimlanes: [],
    lists: open.map((l) => ({ key: l.id, title: l.name, wipLimit: null, wipMode: "soft" })),
    cards: cards.map((c) => ({
      key: c.id,
      list: c.idList,
      swimlane: null,
      title: c.name,
      description: c.desc,
      labels: c.idLabels,
      assignees: c.idMembers.flatMap((m) => username.get(m) ?? []),
      dueAt: c.due,
      done: c.dueComplete,
      archived: c.closed,
    })),
    // Trello lists actions newest first: comments are put back in the order they were written.
    comments: t.actions
      .filter((a) => a.type === "commentCard" && a.data.card && cardIds.has(a.data.card.id) && a.data.text)
      .reverse()
      .map((a) => ({
        card: a.data.card!.id,
        author: (a.idMemberCreator && username.get(a.idMemberCreator)) ?? null,
        text: a.data.text!.slice(0, 10_000),
      })),
    members: t.memberships.flatMap((m) => {
      const login = username.get(m.idMember);
      const role = roles[m.memberType as keyof typeof roles];
      return login && role ? [{ login, role }] : [];
    }),
    skipped: {
      checklists: t.checklists.length,
      attachments: cards.reduce((n, c) => n + (c.badges.attachments ?? 0), 0),
      closedLists: t.lists.length - open.length,
    },
  };
}
