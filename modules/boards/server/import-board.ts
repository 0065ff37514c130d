import { generateNKeysBetween } from "fractional-indexing";
import { uuidv7 } from "@ensemble/protocol";
import { UserResource, type Kernel, type UserActor } from "@ensemble/kernel";
import type { ImportReport } from "../shared/schemas.ts";
import { presentBoardBase } from "./boards.ts";
import { checkImported, type ImportedBoard } from "./imported-board.ts";
import { publish } from "./publish.ts";
import type { BoardRecord } from "./resources.ts";
import { boardsDb, type BoardsBoardsTable, type BoardsCardsTable } from "./tables.ts";

/** People named by username or e-mail, among those the importer may see (deactivated accounts left out). */
async function mapPeople(k: Kernel, actor: UserActor, logins: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(logins.map((l) => l.toLowerCase()))];
  const out = new Map<string, string>();
  for (let i = 0; i < wanted.length; i += 500) {
    const chunk = wanted.slice(i, i + 500);
    const rows = await k.db
      .selectFrom("users as u")
      .select(["u.id", "u.username", "u.email"])
      .where(k.policy.scope(UserResource, actor)("u"))
      .where("u.deactivated", "=", 0)
      .where((e) => e.or([e(e.fn("lower", ["u.username"]), "in", chunk), e(e.fn("lower", ["u.email"]), "in", chunk)]))
      .execute();
    for (const r of rows) {
      out.set(r.username.toLowerCase(), r.id);
      if (r.email) out.set(r.email.toLowerCase(), r.id);
    }
  }
  return out;
}

/**
 * Creates the imported board in one transaction — the board, its members,
 * swimlanes, lists, cards in their order per cell, comments — and records
 * one `boards.board.created`: either all of it exists afterwards or none.
 * The importer administers it; people the export names are mapped by
 * username or e-mail, the others reported.
 */
export async function createImportedBoard(
  k: Kernel,
  actor: UserActor,
  src: ImportedBoard,
): Promise<{ board: BoardRecord; report: ImportReport }> {
  checkImported(src);
  const db = boardsDb(k);
  const logins = [
    ...src.members.map((m) => m.login),
    ...src.cards.flatMap((c) => c.assignees),
    ...src.comments.flatMap((c) => c.author ?? []),
  ];
  const people = await mapPeople(k, actor, logins);
  const person = (login: string | null) => (login ? people.get(login.toLowerCase()) : undefined);
  const now = new Date().toISOString();
  const board: BoardsBoardsTable = {
    id: uuidv7(),
    title: src.title,
    description: src.description,
    visibility: "private",
    group_id: null,
    created_by: actor.id,
    labels: "[]",
    version: 0,
    created_at: now,
    updated_at: now,
  };
  const labelIds = new Map(src.labels.map((l) => [l.key, uuidv7()]));
  board.labels = JSON.stringify(src.labels.map((l) => ({ id: labelIds.get(l.key)!, name: l.name, color: l.color })));
  const lanes = src.swimlanes.length ? src.swimlanes : [{ key: "", title: "" }];
  const laneIds = new Map(lanes.map((s) => [s.key, uuidv7()]));
  const firstLane = laneIds.get(lanes[0]!.key)!;
  const listIds = new Map(src.lists.map((l) => [l.key, uuidv7()]));
  const members = new Map<string, (typeof src.members)[number]["role"]>([[actor.id, "admin"]]);
  for (const m of src.members) {
    const id = person(m.login);
    if (id && !members.has(id)) members.set(id, m.role);
  }
  // Cards keep the export's order within each (list, swimlane) cell.
  const cells = new Map<string, number>();
  const cellOf = (c: ImportedBoard["cards"][number]) =>
    `${listIds.get(c.list)}:${c.swimlane ? laneIds.get(c.swimlane) : firstLane}`;
  for (const c of src.cards) cells.set(cellOf(c), (cells.get(cellOf(c)) ?? 0) + 1);
  const keys = new Map([...cells].map(([cell, n]) => [cell, generateNKeysBetween(null, null, n)]));
  const cardIds = new Map<string, string>();
  const cards: BoardsCardsTable[] = src.cards.map((c) => {
    const id = uuidv7();
    cardIds.set(c.key, id);
    const cell = cellOf(c);
    const [list_id, swimlane_id] = cell.split(":") as [string, string];
    return {
      id,
      board_id: board.id,
      list_id,
      swimlane_id,
      title: c.title,
      description: c.description,
      label_ids: JSON.stringify(c.labels.flatMap((l) => labelIds.get(l) ?? [])),
      assignee_ids: JSON.stringify([...new Set(c.assignees.flatMap((a) => person(a) ?? []))]),
      due_at: c.dueAt ? new Date(c.dueAt).toISOString() : null,
      done: c.done ? 1 : 0,
      archived_at: c.archived ? now : null,
      position: keys.get(cell)!.shift()!,
      comment_count: 0,
      checklist_done: 0,
      checklist_total: 0,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
    };
  });
  const comments = src.comments.map((c) => ({
    id: uuidv7(),
    card_id: cardIds.get(c.card)!,
    board_id: board.id,
    author_id: person(c.author) ?? null,
    text: c.text,
    created_at: now,
  }));
  const counts = new Map<string, number>();
  for (const c of comments) counts.set(c.card_id, (counts.get(c.card_id) ?? 0) + 1);
  for (const c of cards) c.comment_count = counts.get(c.id) ?? 0;
  const listKeys = generateNKeysBetween(null, null, src.lists.length);
  const laneKeys = generateNKeysBetween(null, null, lanes.length);

  await db.transaction().execute(async (tx) => {
    await tx.insertInto("boards_boards").values(board).execute();
    await tx
      .insertInto("boards_members")
      .values([...members].map(([user_id, role]) => ({ board_id: board.id, user_id, role, created_at: now })))
      .execute();
    await tx
      .insertInto("boards_swimlanes")
      .values(
        lanes.map((s, i) => ({
          id: laneIds.get(s.key)!,
          board_id: board.id,
          title: s.title,
          position: laneKeys[i]!,
          created_at: now,
        })),
      )
      .execute();
    if (src.lists.length)
      await tx
        .insertInto("boards_lists")
        .values(
          src.lists.map((l, i) => ({
            id: listIds.get(l.key)!,
            board_id: board.id,
            title: l.title,
            position: listKeys[i]!,
            wip_limit: l.wipLimit,
            wip_mode: l.wipMode,
            created_at: now,
          })),
        )
        .execute();
    // In slices: one statement per row would be slow, one for 20,000 rows passes the engines' parameter limits.
    for (let i = 0; i < cards.length; i += 200)
      await tx
        .insertInto("boards_cards")
        .values(cards.slice(i, i + 200))
        .execute();
    for (let i = 0; i < comments.length; i += 500)
      await tx
        .insertInto("boards_comments")
        .values(comments.slice(i, i + 500))
        .execute();
    await publish(tx, "boards.board.created", actor.id, board.id, { board: presentBoardBase(board) });
  });
  const named = new Set(logins.map((l) => l.toLowerCase()));
  return {
    board: { ...board, viewerRole: "admin", viewerInGroup: false },
    report: {
      lists: src.lists.length,
      swimlanes: lanes.length,
      cards: cards.length,
      labels: src.labels.length,
      comments: comments.length,
      members: members.size - 1,
      unknownPeople: [...named]
        .filter((l) => !people.has(l))
        .sort()
        .slice(0, 100),
      skipped: src.skipped,
    },
  };
}
