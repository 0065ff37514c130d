import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { sql } from "kysely";
import type { RealtimeClient } from "@ensemble/client";
import { realtimeClient, startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";
import { applyBoardEvent, cellCards } from "../../shared/board-state.ts";
import { boardTopic } from "../../shared/resources.ts";
import type { BoardView, CardChange } from "../../shared/schemas.ts";
import { addMember, addSwimlane, createBoard, viewBoard } from "./boards-fixtures.ts";

/**
 * The ordering property: any interleaving of concurrent inserts, moves and
 * deletes from several clients — each naming neighbours from its own,
 * possibly stale view, kept up to date only by the board's realtime events —
 * yields one total order per cell that is the same on every client, in the
 * API's answer and in the database's ORDER BY, with every surviving card
 * exactly once and no two cards of a cell sharing a key. A round with a
 * single operation also checks the placement rule itself.
 */

const CLIENTS = 3;
let s: TestServer;
let people: { client: TestClient; id: string }[] = [];
beforeAll(async () => {
  // Three people send every request of every run: more than the default per-route budget of a minute.
  s = await startTestServer({ env: { RATE_LIMIT_DEFAULT_PER_MIN: "100000" } });
  people = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const p = await s.signedIn();
      return { client: p.client, id: p.user.id };
    }),
  );
});
afterAll(() => s?.close());

type Mode = "after" | "before" | "top" | "bottom";
interface Place {
  list: number;
  lane: number;
  anchor: number;
  mode: Mode;
}
type Op = ({ kind: "insert" } & Place) | ({ kind: "move"; pick: number } & Place) | { kind: "delete"; pick: number };

const place = {
  list: fc.nat(1),
  lane: fc.nat(1),
  anchor: fc.nat(20),
  mode: fc.constantFrom<Mode>("after", "before", "top", "bottom"),
};
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("insert" as const), ...place }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("move" as const), pick: fc.nat(50), ...place }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), pick: fc.nat(50) }) },
);
/** Rounds of operations, one per client at most, sent at once. */
const rounds = fc.array(fc.array(fc.tuple(fc.nat(CLIENTS - 1), op), { minLength: 1, maxLength: CLIENTS }), {
  minLength: 1,
  maxLength: 8,
});

interface Viewer {
  rt: RealtimeClient;
  view: BoardView;
  lastSeq: number;
}

const cellsOf = (v: BoardView) => {
  const out: Record<string, string[]> = {};
  for (const l of v.lists)
    for (const w of v.swimlanes) out[`${l.id}/${w.id}`] = cellCards(v, l.id, w.id).map((c) => c.id);
  return out;
};

/** The neighbours a client names, from its own view of the target cell. */
function neighbours(v: BoardView, listId: string, laneId: string, p: Place, self?: string) {
  const cell = cellCards(v, listId, laneId).filter((c) => c.id !== self);
  const at = cell.length ? cell[p.anchor % cell.length]! : undefined;
  switch (p.mode) {
    case "after":
      return at ? { afterId: at.id } : {};
    case "before":
      return at ? { beforeId: at.id } : {};
    case "top":
      return { afterId: null };
    case "bottom":
      return { beforeId: null };
  }
}

describe("boards ordering under concurrency", () => {
  it("every client, the API and the database agree on one total order", { timeout: 600_000 }, async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(rounds, async (plan) => {
        runs += 1;
        const owner = people[0]!;
        const board = await createBoard(owner.client, { title: `Ordre ${runs}`, lists: ["Un", "Deux"] });
        for (const p of people.slice(1)) await addMember(owner.client, board.id, p.id, "normal");
        await addSwimlane(owner.client, board.id);
        const initial = await viewBoard(owner.client, board.id);
        const viewers: Viewer[] = people.map((p) => ({
          rt: realtimeClient(s.url, p.client),
          view: initial,
          lastSeq: 0,
        }));
        try {
          const subs = viewers.map((v) =>
            v.rt.subscribe(boardTopic(board.id), {
              onEvent: (event, seq) => {
                v.view = applyBoardEvent(v.view, event) ?? v.view;
                v.lastSeq = seq;
              },
              // Live from this seq: what was recorded before (the board's setup) is in `initial`.
              onReady: (seq) => {
                v.lastSeq = Math.max(v.lastSeq, seq);
              },
              onResync: () => {
                throw new Error("a viewer was asked to resync");
              },
            }),
          );
          await Promise.all(subs.map((x) => x.ready));
          const alive = new Set<string>();
          const lists = initial.lists.map((l) => l.id);
          const lanes = (await viewBoard(owner.client, board.id)).swimlanes.map((l) => l.id);

          for (const round of plan) {
            const results = await Promise.all(
              round.map(async ([who, o]) => {
                const v = viewers[who]!.view;
                const c = people[who]!.client;
                if (o.kind === "insert") {
                  const [listId, laneId] = [lists[o.list]!, lanes[o.lane]!];
                  const body = { listId, swimlaneId: laneId, title: `c${runs}`, ...neighbours(v, listId, laneId, o) };
                  const r = await c.post<CardChange>(`/api/boards/${board.id}/cards`, body);
                  expect(r.status, r.text).toBe(201);
                  alive.add(r.body.card.id);
                  return { o, body, id: r.body.card.id };
                }
                if (!v.cards.length) return null;
                const card = v.cards[o.pick % v.cards.length]!;
                if (o.kind === "delete") {
                  const r = await c.delete(`/api/boards/cards/${card.id}`);
                  // Someone else may have deleted it first.
                  expect([204, 404], r.text).toContain(r.status);
                  alive.delete(card.id);
                  return null;
                }
                const [listId, laneId] = [lists[o.list]!, lanes[o.lane]!];
                const body = { listId, swimlaneId: laneId, ...neighbours(v, listId, laneId, o, card.id) };
                const r = await c.post<CardChange>(`/api/boards/cards/${card.id}/move`, body);
                expect([200, 404], r.text).toContain(r.status);
                return r.status === 200 ? { o, body, id: card.id } : null;
              }),
            );
            // Alone in its round, an operation lands exactly where the rule says.
            const only = results.length === 1 ? results[0] : null;
            if (only) {
              const cell = cellCards(
                await viewBoard(owner.client, board.id),
                only.body.listId,
                only.body.swimlaneId,
              ).map((c) => c.id);
              const i = cell.indexOf(only.id);
              const b = only.body as { afterId?: string | null; beforeId?: string | null };
              // The client's view may be stale: a neighbour it named may have left the cell (then: bottom).
              const present = (id: string | null | undefined) => !!id && cell.includes(id);
              if (present(b.afterId)) expect(cell[i - 1]).toBe(b.afterId);
              else if (present(b.beforeId)) expect(cell[i + 1]).toBe(b.beforeId);
              else if (b.afterId === null) expect(i).toBe(0);
              else expect(i).toBe(cell.length - 1);
            }
          }

          const topic = await sql<{
            seq: number;
          }>`select seq from topic_seqs where topic = ${boardTopic(board.id)}`.execute(s.kernel.db);
          const last = Number(topic.rows[0]!.seq);
          await waitFor(() => viewers.every((v) => v.lastSeq === last), "every viewer to catch up");

          const api = await viewBoard(owner.client, board.id);
          const rows = await s.kernel.db
            .withTables<{
              boards_cards: { id: string; board_id: string; list_id: string; swimlane_id: string; position: string };
            }>()
            .selectFrom("boards_cards")
            .select(["id", "list_id", "swimlane_id", "position"])
            .where("board_id", "=", board.id)
            .orderBy("position")
            .orderBy("id")
            .execute();
          const db: Record<string, string[]> = {};
          for (const l of lists) for (const w of lanes) db[`${l}/${w}`] = [];
          for (const r of rows) db[`${r.list_id}/${r.swimlane_id}`]!.push(r.id);

          expect(cellsOf(api)).toEqual(db);
          for (const v of viewers) expect(cellsOf(v.view)).toEqual(db);
          // The cells' totals (set by the events, not counted) agree too.
          const totals = (v: BoardView) => v.cells.map((c) => `${c.listId}/${c.swimlaneId}:${c.total}`).sort();
          for (const v of viewers) expect(totals(v.view)).toEqual(totals(api));
          expect(rows.map((r) => r.id).sort()).toEqual([...alive].sort());
          for (const ids of Object.values(db)) {
            const keys = ids.map((id) => rows.find((r) => r.id === id)!.position);
            expect(new Set(keys).size).toBe(keys.length);
          }
        } finally {
          for (const v of viewers) v.rt.close();
        }
      }),
      { numRuns: Number(process.env.BOARDS_ORDER_RUNS ?? 25), endOnFailure: true },
    );
  });
});
