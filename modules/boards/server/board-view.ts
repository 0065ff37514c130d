import { sql } from "kysely";
import type { DbKind } from "@ensemble/kernel";
import { compareOrder } from "../shared/order.ts";
import { CELL_PAGE, type Board, type BoardView, type CellPage, type CellTotal } from "../shared/schemas.ts";
import { cardSummaryColumns, presentCardSummary, presentList, presentSwimlane } from "./boards.ts";
import { boardMembers } from "./member-routes.ts";
import type { BoardRecord } from "./resources.ts";
import type { BoardsCardsTable, BoardsDb } from "./tables.ts";

type SummaryRow = Pick<BoardsCardsTable, (typeof cardSummaryColumns)[number]>;

/**
 * The first `CELL_PAGE` open cards of every (list, swimlane) cell of a board
 * and each cell's total, without reading the cards past the first page: the
 * totals are one count over the partial index `boards_cards_open` (open
 * cards by board and cell), and each cell's page an ordered range of
 * `boards_cards_open_cell` with LIMIT. On PostgreSQL the pages are one
 * LATERAL statement (one round trip); SQLite, in process, has no LATERAL and
 * reads each non-empty cell. Measured with EXPLAIN ANALYZE on 5,000 cards in
 * 5 cells: ≈ 7 ms for the pages against ≈ 30 ms for one window over the
 * board, which reads every card.
 */
async function firstPages(
  db: BoardsDb,
  kind: DbKind,
  boardId: string,
): Promise<{ cards: SummaryRow[]; cells: CellTotal[] }> {
  const counting = db
    .selectFrom("boards_cards")
    .select(["list_id", "swimlane_id", (e) => e.fn.countAll<number>().as("total")])
    .where("board_id", "=", boardId)
    .where("archived_at", "is", null)
    .groupBy(["list_id", "swimlane_id"])
    .execute()
    .then((rows) => rows.map((r) => ({ listId: r.list_id, swimlaneId: r.swimlane_id, total: Number(r.total) })));
  if (kind === "postgres") {
    const cols = sql.join(cardSummaryColumns.map((c) => sql.ref(`c.${c}`)));
    const [pages, cells] = await Promise.all([
      sql<SummaryRow>`
        select ${cols} from boards_lists l
        cross join boards_swimlanes w
        cross join lateral (
          select * from boards_cards x
          where x.list_id = l.id and x.swimlane_id = w.id and x.archived_at is null
          order by x.position, x.id limit ${CELL_PAGE}
        ) c
        where l.board_id = ${boardId} and w.board_id = ${boardId}`.execute(db),
      counting,
    ]);
    return { cards: pages.rows, cells };
  }
  const cells = await counting;
  const cards: SummaryRow[] = [];
  for (const c of cells)
    cards.push(
      ...(await db
        .selectFrom("boards_cards")
        .select(cardSummaryColumns)
        .where("list_id", "=", c.listId)
        .where("swimlane_id", "=", c.swimlaneId)
        .where("archived_at", "is", null)
        .orderBy("position")
        .orderBy("id")
        .limit(CELL_PAGE)
        .execute()),
    );
  return { cards, cells };
}

/** Everything the board page opens with, in four reads (see `boardViewSchema`). */
export async function boardView(db: BoardsDb, kind: DbKind, b: BoardRecord, board: Board): Promise<BoardView> {
  const [swimlanes, lists, page, members] = await Promise.all([
    db.selectFrom("boards_swimlanes").selectAll().where("board_id", "=", b.id).execute(),
    db.selectFrom("boards_lists").selectAll().where("board_id", "=", b.id).execute(),
    firstPages(db, kind, b.id),
    boardMembers(db, b.id),
  ]);
  return {
    board,
    swimlanes: swimlanes.sort(compareOrder).map(presentSwimlane),
    lists: lists.sort(compareOrder).map(presentList),
    cards: page.cards.sort(compareOrder).map(presentCardSummary),
    cells: page.cells,
    members,
  };
}

/** The open cards of one cell after the cursor (position, then id: the total order), and the cell's total. */
export async function cellPage(
  db: BoardsDb,
  boardId: string,
  q: {
    listId: string;
    swimlaneId: string;
    afterPosition?: string | undefined;
    afterId?: string | undefined;
    limit: number;
  },
): Promise<CellPage> {
  const cell = db
    .selectFrom("boards_cards")
    .where("board_id", "=", boardId)
    .where("list_id", "=", q.listId)
    .where("swimlane_id", "=", q.swimlaneId)
    .where("archived_at", "is", null);
  const { afterPosition, afterId } = q;
  const [items, { n }] = await Promise.all([
    cell
      .select(cardSummaryColumns)
      .$if(afterPosition !== undefined, (s) =>
        s.where((e) =>
          e.or([
            e("position", ">", afterPosition!),
            e.and([e("position", "=", afterPosition!), e("id", ">", afterId ?? "")]),
          ]),
        ),
      )
      .orderBy("position")
      .orderBy("id")
      .limit(q.limit)
      .execute(),
    cell.select((e) => e.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items: items.sort(compareOrder).map(presentCardSummary), total: Number(n) };
}

/** The open-card totals of the given cells (each named once), counted now: call under the board's lock. */
export async function cellTotals(
  tx: BoardsDb,
  cells: readonly { listId: string; swimlaneId: string }[],
): Promise<CellTotal[]> {
  const out: CellTotal[] = [];
  // One after the other: they share the transaction's connection.
  for (const c of new Map(cells.map((x) => [`${x.listId} ${x.swimlaneId}`, x])).values()) {
    const { n } = await tx
      .selectFrom("boards_cards")
      .select((e) => e.fn.countAll<number>().as("n"))
      .where("list_id", "=", c.listId)
      .where("swimlane_id", "=", c.swimlaneId)
      .where("archived_at", "is", null)
      .executeTakeFirstOrThrow();
    out.push({ listId: c.listId, swimlaneId: c.swimlaneId, total: Number(n) });
  }
  return out;
}
