import { AppError } from "@ensemble/kernel";
import type { Card, CellTotal } from "../shared/schemas.ts";
import { presentCard } from "./boards.ts";
import { cellTotals } from "./board-view.ts";
import { place, type Neighbours } from "./placement.ts";
import { publish } from "./publish.ts";
import type { BoardsCardsTable, BoardsDb, BoardsListsTable } from "./tables.ts";

/** Where a card goes: its list, swimlane and neighbours. */
export interface CardTarget extends Neighbours {
  listId: string;
  swimlaneId?: string | undefined;
}

export interface ResolvedTarget {
  list: BoardsListsTable;
  swimlaneId: string;
  /** The card takes its list past a soft WIP limit. */
  wipExceeded: boolean;
}

/**
 * Checks the target list and swimlane belong to the board and applies the
 * list's WIP limit to a card entering it (created there, or moved in from
 * another list): at the limit, a hard list refuses (409 boards_wip_limit)
 * and a soft one accepts with a warning. Call with the board locked, so the
 * count cannot change under it.
 */
export async function resolveTarget(
  tx: BoardsDb,
  boardId: string,
  target: CardTarget,
  entering: boolean,
): Promise<ResolvedTarget> {
  const list = await tx
    .selectFrom("boards_lists")
    .selectAll()
    .where("id", "=", target.listId)
    .where("board_id", "=", boardId)
    .executeTakeFirst();
  if (!list) throw new AppError("not_found", "list not found on this board");
  let swimlaneId = target.swimlaneId;
  const lanes = tx.selectFrom("boards_swimlanes").select("id").where("board_id", "=", boardId);
  const lane = swimlaneId
    ? await lanes.where("id", "=", swimlaneId).executeTakeFirst()
    : await lanes.orderBy("position").orderBy("id").limit(1).executeTakeFirst();
  if (!lane) throw new AppError("not_found", "swimlane not found on this board");
  swimlaneId = lane.id;
  let wipExceeded = false;
  if (entering && list.wip_limit !== null) {
    const { n } = await tx
      .selectFrom("boards_cards")
      .select((e) => e.fn.countAll<number>().as("n"))
      .where("list_id", "=", list.id)
      .where("archived_at", "is", null)
      .executeTakeFirstOrThrow();
    if (Number(n) >= list.wip_limit) {
      if (list.wip_mode === "hard")
        throw new AppError("boards_wip_limit", `the list « ${list.title} » holds at most ${list.wip_limit} cards`);
      wipExceeded = true;
    }
  }
  return { list, swimlaneId, wipExceeded };
}

/**
 * Gives `card` its place in its (list, swimlane) cell by the placement rule,
 * writes it with `changes`, and records `boards.card.<verb>` (and
 * `boards.card.rekeyed` when the cell was re-keyed). `from` is the open cell
 * the card leaves, if any: its total and the new cell's come with the event.
 * Call with the board locked.
 */
export async function placeCard(
  tx: BoardsDb,
  actorId: string,
  card: BoardsCardsTable,
  n: Neighbours,
  verb: "created" | "moved",
  from: { listId: string; swimlaneId: string } | null = null,
): Promise<{ card: Card; cells: CellTotal[] }> {
  const siblings = await tx
    .selectFrom("boards_cards")
    .select(["id", "position"])
    .where("list_id", "=", card.list_id)
    .where("swimlane_id", "=", card.swimlane_id)
    .where("archived_at", "is", null)
    .where("id", "!=", card.id)
    .execute();
  const { position, rekeyed } = place(siblings, n);
  const row = { ...card, position };
  if (verb === "created") await tx.insertInto("boards_cards").values(row).execute();
  else
    await tx
      .updateTable("boards_cards")
      .set({ list_id: row.list_id, swimlane_id: row.swimlane_id, position, updated_at: row.updated_at })
      .where("id", "=", row.id)
      .execute();
  for (const r of rekeyed)
    await tx.updateTable("boards_cards").set({ position: r.position }).where("id", "=", r.id).execute();
  const presented = presentCard(row);
  const here = row.archived_at === null ? [{ listId: row.list_id, swimlaneId: row.swimlane_id }] : [];
  const cells = await cellTotals(tx, [...(from ? [from] : []), ...here]);
  await publish(
    tx,
    verb === "created" ? "boards.card.created" : "boards.card.moved",
    actorId,
    card.board_id,
    { card: presented, cells },
    { card: card.id },
  );
  if (rekeyed.length)
    await publish(tx, "boards.card.rekeyed", actorId, card.board_id, { boardId: card.board_id, positions: rekeyed });
  return { card: presented, cells };
}
