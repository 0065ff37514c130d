import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { generateNKeysBetween } from "fractional-indexing";
import { uuidv7 } from "@ensemble/protocol";
import { realtimeClient, startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";
import { applyBoardEvent, cellCards, cellTotal, mergeCellPage } from "../../shared/board-state.ts";
import { boardTopic } from "../../shared/resources.ts";
import { CELL_PAGE, type BoardView, type CardChange, type CellPage, type CellTotal } from "../../shared/schemas.ts";
import { boardsDb } from "../tables.ts";
import { addCard, createBoard, ok, viewBoard } from "./boards-fixtures.ts";

/**
 * Opening a board loads the first CELL_PAGE cards of each cell and every
 * cell's total; the rest comes page by page. A viewer holding only part of
 * a cell keeps it right through the events (totals set, not counted).
 */

let s: TestServer;
let alice: TestClient;
let bob: TestClient;
beforeAll(async () => {
  s = await startTestServer();
  alice = (await s.signedIn()).client;
  bob = (await s.signedIn()).client;
});
afterAll(() => s?.close());

/** Puts `n` cards in one cell directly (the placement rule is tested elsewhere; this is about reading them). */
async function seedCell(boardId: string, listId: string, swimlaneId: string, n: number): Promise<void> {
  const now = new Date().toISOString();
  const rows = generateNKeysBetween(null, null, n).map((position, i) => ({
    id: uuidv7(),
    board_id: boardId,
    list_id: listId,
    swimlane_id: swimlaneId,
    title: `Carte ${i}`,
    description: "",
    label_ids: "[]",
    assignee_ids: "[]",
    due_at: null,
    done: 0,
    archived_at: null,
    position,
    comment_count: 0,
    checklist_done: 0,
    checklist_total: 0,
    created_by: null,
    created_at: now,
    updated_at: now,
  }));
  await boardsDb(s.kernel).insertInto("boards_cards").values(rows).execute();
}

/** Every open card of a cell, page after page through the API. */
async function wholeCell(c: TestClient, v: BoardView, listId: string, swimlaneId: string): Promise<string[]> {
  let view = v;
  for (;;) {
    const last = cellCards(view, listId, swimlaneId).at(-1);
    const q = new URLSearchParams({ listId, swimlaneId, limit: "40" });
    if (last) {
      q.set("afterPosition", last.position);
      q.set("afterId", last.id);
    }
    const page = await ok(c.get<CellPage>(`/api/boards/${v.board.id}/cards?${q.toString()}`), "page");
    view = mergeCellPage(view, listId, swimlaneId, page);
    if (page.items.length === 0) return cellCards(view, listId, swimlaneId).map((x) => x.id);
  }
}

const byCell = (cells: CellTotal[]) =>
  Object.fromEntries(cells.map((c) => [`${c.listId}/${c.swimlaneId}`, c.total]).sort());

describe("opening a large board", () => {
  it("answers the first page of each cell with its total; the next pages follow the total order", async () => {
    const board = await createBoard(alice, { lists: ["A", "B"] });
    const empty = await viewBoard(alice, board.id);
    const [a, b] = empty.lists.map((l) => l.id) as [string, string];
    const lane = empty.swimlanes[0]!.id;
    await seedCell(board.id, a, lane, 130);
    await addCard(alice, board.id, { listId: b, title: "Seule" });

    const v = await viewBoard(alice, board.id);
    expect(cellCards(v, a, lane)).toHaveLength(CELL_PAGE);
    expect(cellCards(v, b, lane)).toHaveLength(1);
    expect(byCell(v.cells)).toEqual({ [`${a}/${lane}`]: 130, [`${b}/${lane}`]: 1 });

    const rows = await boardsDb(s.kernel)
      .selectFrom("boards_cards")
      .select("id")
      .where("list_id", "=", a)
      .orderBy("position")
      .orderBy("id")
      .execute();
    expect(await wholeCell(alice, v, a, lane)).toEqual(rows.map((r) => r.id));
    expect(cellCards(v, a, lane).map((c) => c.id)).toEqual(rows.slice(0, CELL_PAGE).map((r) => r.id));

    // A bad cursor or limit is refused; someone who may not read the board learns nothing of it.
    const bad = await alice.get(`/api/boards/${board.id}/cards?listId=${a}&swimlaneId=${lane}&limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("validation");
    expect((await bob.get(`/api/boards/${board.id}/cards?listId=${a}&swimlaneId=${lane}`)).status).toBe(404);
  });

  it("a viewer holding part of a cell keeps the right totals and prefix through moves, archives, deletes", async () => {
    const board = await createBoard(alice, { lists: ["A", "B"] });
    const empty = await viewBoard(alice, board.id);
    const [a, b] = empty.lists.map((l) => l.id) as [string, string];
    const lane = empty.swimlanes[0]!.id;
    await seedCell(board.id, a, lane, CELL_PAGE + 20);
    const initial = await viewBoard(alice, board.id);
    const all = await wholeCell(alice, initial, a, lane);

    let view = initial;
    let lastSeq = 0;
    const rt = realtimeClient(s.url, alice);
    try {
      const sub = rt.subscribe(boardTopic(board.id), {
        onEvent: (event, seq) => {
          view = applyBoardEvent(view, event) ?? view;
          lastSeq = seq;
        },
        onReady: (seq) => {
          lastSeq = Math.max(lastSeq, seq);
        },
        onResync: () => {
          throw new Error("asked to resync");
        },
      });
      await sub.ready;
      const move = (id: string, body: Record<string, unknown>) =>
        ok(alice.post<CardChange>(`/api/boards/cards/${id}/move`, body), "move");
      // A card from the part not loaded goes to the other list; one held goes there too.
      const fromTail = await move(all[CELL_PAGE + 5]!, { listId: b, swimlaneId: lane });
      expect(byCell(fromTail.cells)).toEqual({ [`${a}/${lane}`]: CELL_PAGE + 19, [`${b}/${lane}`]: 1 });
      await move(all[3]!, { listId: b, swimlaneId: lane });
      // A card from the tail comes to the top of its own cell: now held.
      await move(all[CELL_PAGE + 10]!, { listId: a, swimlaneId: lane, afterId: null });
      // A card created at the bottom of the cell is in the part not loaded.
      await addCard(alice, board.id, { listId: a, swimlaneId: lane, title: "En bas" });
      expect((await alice.patch(`/api/boards/cards/${all[0]!}`, { archived: true })).status).toBe(200);
      expect((await alice.delete(`/api/boards/cards/${all[CELL_PAGE + 15]!}`)).status).toBe(204);

      const topic = await sql<{
        seq: number;
      }>`select seq from topic_seqs where topic = ${boardTopic(board.id)}`.execute(s.kernel.db);
      const last = Number(topic.rows[0]!.seq);
      await waitFor(() => lastSeq === last, "the viewer to catch up");
    } finally {
      rt.close();
    }

    const fresh = await viewBoard(alice, board.id);
    expect(byCell(view.cells)).toEqual(byCell(fresh.cells));
    expect(cellTotal(view, a, lane)).toBe(CELL_PAGE + 20 - 2 + 1 - 1 - 1);
    for (const list of [a, b]) {
      const held = cellCards(view, list, lane).map((c) => c.id);
      const whole = await wholeCell(alice, fresh, list, lane);
      // What the viewer holds is the start of the cell, in the server's order.
      expect(held).toEqual(whole.slice(0, held.length));
      expect(await wholeCell(alice, view, list, lane)).toEqual(whole);
    }
    expect(cellCards(view, a, lane)[0]!.id).toBe(all[CELL_PAGE + 10]);
    expect(cellCards(view, a, lane).map((c) => c.title)).not.toContain("En bas");
  });
});
