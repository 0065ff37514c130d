import type { BoardsEventName, BoardsEventPayloads } from "./events.ts";
import { compareOrder } from "./order.ts";
import type { BoardView, CardSummary, CellPage, CellTotal } from "./schemas.ts";

/** A board event as the realtime client hands it over. */
export interface BoardEvent {
  name: string;
  payload: unknown;
}

const isBoardsEvent = (name: string): name is BoardsEventName => name.startsWith("boards.");

const cellKey = (c: { listId: string; swimlaneId: string }) => `${c.listId} ${c.swimlaneId}`;

/** Sets the totals the server counted (absolute values: applying an event twice changes nothing more). */
function withTotals(view: BoardView, totals: readonly CellTotal[] | undefined): BoardView {
  if (!totals?.length) return view;
  const set = new Set(totals.map(cellKey));
  return { ...view, cells: [...view.cells.filter((c) => !set.has(cellKey(c))), ...totals.filter((c) => c.total > 0)] };
}

/** How many open cards a cell holds, loaded or not. */
export const cellTotal = (view: BoardView, listId: string, swimlaneId: string): number =>
  view.cells.find((c) => c.listId === listId && c.swimlaneId === swimlaneId)?.total ?? 0;

/**
 * Whether an open card belongs to what the viewer holds of its cell (a
 * prefix of the cell in the total order): it stays where it was, the viewer
 * holds every other card of the cell, or it sorts before the last one held.
 * Otherwise it is in the part not loaded yet, which « load more » brings.
 */
function held(rest: BoardView, card: CardSummary, before: CardSummary | undefined): boolean {
  if (before && cellKey(before) === cellKey(card) && before.position === card.position) return true;
  const loaded = cellCards(rest, card.listId, card.swimlaneId);
  if (loaded.length + 1 >= cellTotal(rest, card.listId, card.swimlaneId)) return true;
  const last = loaded.at(-1);
  return last !== undefined && compareOrder(card, last) < 0;
}

function upsert<T extends { id: string; position: string }>(items: readonly T[], item: T): T[] {
  return [...items.filter((x) => x.id !== item.id), item].sort(compareOrder);
}

/**
 * Applies one event of the board's topic to what a viewer holds (the board
 * page, a bot, the property test): upsert by id, drop on delete, keep every
 * collection in the total order (shared/order.ts). Events come in topic order,
 * each carrying the item as the server stored it, so every viewer ends with
 * the server's state. Returns the same object when the event changes nothing
 * it holds; null when the board itself was deleted.
 */
export function applyBoardEvent(view: BoardView, event: BoardEvent): BoardView | null {
  if (!isBoardsEvent(event.name)) return view;
  const name = event.name;
  const p = event.payload as BoardsEventPayloads[typeof name];
  switch (name) {
    case "boards.board.updated": {
      const { board } = p as BoardsEventPayloads["boards.board.updated"];
      return { ...view, board: { ...view.board, ...board } };
    }
    case "boards.board.deleted":
      return null;
    case "boards.member.added":
    case "boards.member.updated": {
      const { member } = p as BoardsEventPayloads["boards.member.added"];
      const members = [...view.members.filter((m) => m.userId !== member.userId), member];
      return { ...view, members: members.sort((a, b) => a.username.localeCompare(b.username)) };
    }
    case "boards.member.removed": {
      const { userId } = p as BoardsEventPayloads["boards.member.removed"];
      return { ...view, members: view.members.filter((m) => m.userId !== userId) };
    }
    case "boards.list.created":
    case "boards.list.updated":
    case "boards.list.moved":
      return { ...view, lists: upsert(view.lists, (p as BoardsEventPayloads["boards.list.created"]).list) };
    case "boards.list.deleted": {
      const { listId } = p as BoardsEventPayloads["boards.list.deleted"];
      return {
        ...view,
        lists: view.lists.filter((l) => l.id !== listId),
        cards: view.cards.filter((c) => c.listId !== listId),
        cells: view.cells.filter((c) => c.listId !== listId),
      };
    }
    case "boards.swimlane.created":
    case "boards.swimlane.updated":
    case "boards.swimlane.moved":
      return {
        ...view,
        swimlanes: upsert(view.swimlanes, (p as BoardsEventPayloads["boards.swimlane.created"]).swimlane),
      };
    case "boards.swimlane.deleted": {
      const { swimlaneId } = p as BoardsEventPayloads["boards.swimlane.deleted"];
      return {
        ...view,
        swimlanes: view.swimlanes.filter((l) => l.id !== swimlaneId),
        cards: view.cards.filter((c) => c.swimlaneId !== swimlaneId),
        cells: view.cells.filter((c) => c.swimlaneId !== swimlaneId),
      };
    }
    case "boards.card.created":
    case "boards.card.updated":
    case "boards.card.moved": {
      const { card, cells } = p as BoardsEventPayloads["boards.card.created"];
      const before = view.cards.find((c) => c.id === card.id);
      // The board view shows open cards only: an archived one leaves it.
      const rest = withTotals({ ...view, cards: view.cards.filter((c) => c.id !== card.id) }, cells);
      if (card.archived || !held(rest, card, before)) return rest;
      return { ...rest, cards: [...rest.cards, card].sort(compareOrder) };
    }
    case "boards.card.deleted": {
      const { cardId, cells } = p as BoardsEventPayloads["boards.card.deleted"];
      return withTotals({ ...view, cards: view.cards.filter((c) => c.id !== cardId) }, cells);
    }
    case "boards.card.rekeyed": {
      const keys = new Map((p as BoardsEventPayloads["boards.card.rekeyed"]).positions.map((x) => [x.id, x.position]));
      const cards = view.cards.map((c): CardSummary => (keys.has(c.id) ? { ...c, position: keys.get(c.id)! } : c));
      return { ...view, cards: cards.sort(compareOrder) };
    }
    case "boards.board.created":
    case "boards.comment.created":
    case "boards.comment.deleted":
    case "boards.checklist_item.created":
    case "boards.checklist_item.updated":
    case "boards.checklist_item.deleted":
      // The card's counts come with its own event; the items are the card dialog's.
      return view;
  }
}

/** The cards of one (list, swimlane) cell, in order. */
export const cellCards = (view: BoardView, listId: string, swimlaneId: string): CardSummary[] =>
  view.cards.filter((c) => c.listId === listId && c.swimlaneId === swimlaneId);

/**
 * Adds the next page of one cell (`GET /api/boards/:id/cards`) to what the
 * viewer holds. A card the viewer already holds keeps its version: events
 * that arrived while the page was on its way are newer.
 */
export function mergeCellPage(view: BoardView, listId: string, swimlaneId: string, page: CellPage): BoardView {
  const ids = new Set(view.cards.map((c) => c.id));
  const fresh = page.items.filter((c) => !ids.has(c.id));
  return withTotals({ ...view, cards: [...view.cards, ...fresh].sort(compareOrder) }, [
    { listId, swimlaneId, total: page.total },
  ]);
}
