import type { FastifyInstance } from "fastify";
import { uuidv7 } from "@ensemble/protocol";
import { AppError, noContent, route, type Kernel } from "@ensemble/kernel";
import {
  cardChangeSchema,
  cardSchema,
  createCardBody,
  moveCardBody,
  updateCardBody,
  type Label,
} from "../shared/schemas.ts";
import { loadBoard, loadCard, withBoardLock, presentCard } from "./boards.ts";
import { placeCard, resolveTarget } from "./cards.ts";
import { cellTotals } from "./board-view.ts";
import { publish } from "./publish.ts";
import { BoardResource, CardResource } from "./resources.ts";
import { idParams, visibleUser } from "./route-helpers.ts";
import { boardsDb, type BoardsCardsTable, type BoardsDb } from "./tables.ts";

/** The card as it stands inside the locked transaction (a concurrent delete answers 404). */
async function currentCard(tx: BoardsDb, id: string): Promise<BoardsCardsTable> {
  const row = await tx.selectFrom("boards_cards").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new AppError("not_found", "card not found");
  return row;
}

/** Cards: create (quick-add), read, edit, move (the placement rule), archive, delete. */
export function cardRoutes(app: FastifyInstance, k: Kernel): void {
  const db = boardsDb(k);
  const tags = ["boards"];

  route(app, {
    method: "POST",
    url: "/api/boards/:id/cards",
    summary: "Create a card in a list (and swimlane), by default at the bottom; a hard WIP limit refuses it",
    tags,
    auth: "user",
    params: idParams,
    body: createCardBody,
    response: cardChangeSchema,
    status: 201,
    // Quick-add retried after a lost answer creates one card (Idempotency-Key or clientKey).
    idempotent: true,
    handler: async ({ actor, params, body }) => {
      const b = await k.policy.authorize(actor, BoardResource, "create_card", await loadBoard(db, params.id, actor));
      return withBoardLock(db, b.id, async (tx) => {
        const { list, swimlaneId, wipExceeded } = await resolveTarget(tx, b.id, body, true);
        const now = new Date().toISOString();
        const card: BoardsCardsTable = {
          id: uuidv7(),
          board_id: b.id,
          list_id: list.id,
          swimlane_id: swimlaneId,
          title: body.title,
          description: body.description,
          label_ids: "[]",
          assignee_ids: "[]",
          due_at: null,
          done: 0,
          archived_at: null,
          position: "",
          comment_count: 0,
          checklist_done: 0,
          checklist_total: 0,
          created_by: actor.id,
          created_at: now,
          updated_at: now,
        };
        return { ...(await placeCard(tx, actor.id, card, body, "created")), wipExceeded };
      });
    },
  });

  route(app, {
    method: "GET",
    url: "/api/boards/cards/:id",
    summary: "A card",
    tags,
    auth: "user",
    params: idParams,
    response: cardSchema,
    handler: async ({ actor, params }) =>
      presentCard(await k.policy.authorize(actor, CardResource, "read", await loadCard(db, params.id, actor))),
  });

  route(app, {
    method: "POST",
    url: "/api/boards/cards/:id/move",
    summary:
      "Move a card to a list and swimlane: after `afterId` if still there, else before `beforeId`, else top if afterId is null, else bottom",
    tags,
    auth: "user",
    params: idParams,
    body: moveCardBody,
    response: cardChangeSchema,
    handler: async ({ actor, params, body }) => {
      const c = await k.policy.authorize(actor, CardResource, "move", await loadCard(db, params.id, actor));
      return withBoardLock(db, c.board_id, async (tx) => {
        const card = await currentCard(tx, c.id);
        const entering = body.listId !== card.list_id && card.archived_at === null;
        const { list, swimlaneId, wipExceeded } = await resolveTarget(tx, c.board_id, body, entering);
        const moved = { ...card, list_id: list.id, swimlane_id: swimlaneId, updated_at: new Date().toISOString() };
        const from = card.archived_at === null ? { listId: card.list_id, swimlaneId: card.swimlane_id } : null;
        return { ...(await placeCard(tx, actor.id, moved, body, "moved", from)), wipExceeded };
      });
    },
  });

  route(app, {
    method: "PATCH",
    url: "/api/boards/cards/:id",
    summary: "Edit a card: title, description, labels, assignees, due date, done, archived",
    tags,
    auth: "user",
    params: idParams,
    body: updateCardBody,
    response: cardSchema,
    handler: async ({ actor, params, body }) => {
      const c = await k.policy.authorize(actor, CardResource, "update", await loadCard(db, params.id, actor));
      const labels = new Set((JSON.parse(c.board.labels) as Label[]).map((l) => l.id));
      if (body.labelIds?.some((id) => !labels.has(id)))
        throw new AppError("validation", "a label is not one of this board's");
      const assignees = body.assigneeIds ? [...new Set(body.assigneeIds)] : undefined;
      for (const id of assignees ?? []) await visibleUser(k, actor, id);
      return withBoardLock(db, c.board_id, async (tx) => {
        const card = await currentCard(tx, c.id);
        if (body.archived === false && card.archived_at !== null) {
          // A restored card enters its list again: the WIP limit applies.
          await resolveTarget(tx, c.board_id, { listId: card.list_id, swimlaneId: card.swimlane_id }, true);
        }
        const patch = {
          ...(body.title !== undefined ? { title: body.title } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.labelIds !== undefined ? { label_ids: JSON.stringify([...new Set(body.labelIds)]) } : {}),
          ...(assignees !== undefined ? { assignee_ids: JSON.stringify(assignees) } : {}),
          ...(body.dueAt !== undefined ? { due_at: body.dueAt && new Date(body.dueAt).toISOString() } : {}),
          ...(body.done !== undefined ? { done: body.done ? 1 : 0 } : {}),
          ...(body.archived !== undefined
            ? { archived_at: body.archived ? (card.archived_at ?? new Date().toISOString()) : null }
            : {}),
          updated_at: new Date().toISOString(),
        };
        await tx.updateTable("boards_cards").set(patch).where("id", "=", c.id).execute();
        const presented = presentCard({ ...card, ...patch });
        // Archiving or restoring changes the cell's total.
        const cells =
          body.archived !== undefined && body.archived !== (card.archived_at !== null)
            ? await cellTotals(tx, [{ listId: card.list_id, swimlaneId: card.swimlane_id }])
            : undefined;
        await publish(
          tx,
          "boards.card.updated",
          actor.id,
          c.board_id,
          { card: presented, ...(cells ? { cells } : {}) },
          { card: c.id },
        );
        return presented;
      });
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/boards/cards/:id",
    summary: "Delete a card and its comments",
    tags,
    auth: "user",
    params: idParams,
    response: noContent,
    handler: async ({ actor, params }) => {
      const c = await k.policy.authorize(actor, CardResource, "delete", await loadCard(db, params.id, actor));
      await withBoardLock(db, c.board_id, async (tx) => {
        const card = await currentCard(tx, c.id);
        await tx.deleteFrom("boards_cards").where("id", "=", c.id).execute();
        const cells =
          card.archived_at === null
            ? await cellTotals(tx, [{ listId: card.list_id, swimlaneId: card.swimlane_id }])
            : undefined;
        await publish(
          tx,
          "boards.card.deleted",
          actor.id,
          c.board_id,
          { boardId: c.board_id, cardId: c.id, ...(cells ? { cells } : {}) },
          { card: c.id },
        );
      });
    },
  });
}
