import type { FastifyInstance } from "fastify";
import { generateKeyBetween } from "fractional-indexing";
import { uuidv7 } from "@ensemble/protocol";
import { AppError, noContent, route, type Actor, type Kernel } from "@ensemble/kernel";
import {
  checklistItemSchema,
  checklistSchema,
  createChecklistItemBody,
  updateChecklistItemBody,
  type ChecklistItem,
} from "../shared/checklists.ts";
import { compareOrder } from "../shared/order.ts";
import { loadCard, presentCard, withBoardLock } from "./boards.ts";
import { publish } from "./publish.ts";
import { CardResource, type CardRecord } from "./resources.ts";
import { idParams, visibleUser } from "./route-helpers.ts";
import { boardsDb, type BoardsChecklistItemsTable, type BoardsDb } from "./tables.ts";

const presentItem = (i: BoardsChecklistItemsTable): ChecklistItem => ({
  id: i.id,
  cardId: i.card_id,
  text: i.text,
  done: Number(i.done) === 1,
  assigneeId: i.assignee_id,
  dueAt: i.due_at,
  position: i.position,
  createdAt: i.created_at,
});

/** A due date as stored: the instant in UTC (as the card's). */
const storedDue = (d: string | null) => d && new Date(d).toISOString();

/**
 * The card's progress follows its items, counted again (not ±1) inside the
 * board's lock, and every viewer gets the card with it.
 */
async function recount(tx: BoardsDb, actorId: string, cardId: string): Promise<void> {
  const items = tx.selectFrom("boards_checklist_items").where("card_id", "=", cardId);
  const { total } = await items.select((e) => e.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const { done } = await items
    .where("done", "=", 1)
    .select((e) => e.fn.countAll<number>().as("done"))
    .executeTakeFirstOrThrow();
  await tx
    .updateTable("boards_cards")
    .set({ checklist_total: Number(total), checklist_done: Number(done) })
    .where("id", "=", cardId)
    .execute();
  const card = await tx.selectFrom("boards_cards").selectAll().where("id", "=", cardId).executeTakeFirst();
  if (!card) throw new AppError("not_found", "card not found");
  await publish(tx, "boards.card.updated", actorId, card.board_id, { card: presentCard(card) }, { card: cardId });
}

/** Checklist items: read with the card, changed by whoever may edit the card. */
export function checklistRoutes(app: FastifyInstance, k: Kernel): void {
  const db = boardsDb(k);
  const tags = ["boards"];

  /** The item and its card, authorised for `action` on the card (404 for a card one may not read). */
  async function itemFor(actor: Actor, id: string): Promise<{ item: BoardsChecklistItemsTable; card: CardRecord }> {
    const item = await db.selectFrom("boards_checklist_items").selectAll().where("id", "=", id).executeTakeFirst();
    const card = item ? await loadCard(db, item.card_id, actor) : undefined;
    const allowed = await k.policy.authorize(actor, CardResource, "update", card);
    return { item: item!, card: allowed };
  }

  /** An assignee must be someone the actor may see, active (like the card's assignees). */
  const assignee = (actor: Actor, id: string | null | undefined) =>
    id ? visibleUser(k, actor, id) : Promise.resolve(id);

  route(app, {
    method: "GET",
    url: "/api/boards/cards/:id/checklist",
    summary: "A card's checklist items, in order",
    tags,
    auth: "user",
    params: idParams,
    response: checklistSchema,
    handler: async ({ actor, params }) => {
      const c = await k.policy.authorize(actor, CardResource, "read", await loadCard(db, params.id, actor));
      const rows = await db.selectFrom("boards_checklist_items").selectAll().where("card_id", "=", c.id).execute();
      return { items: rows.sort(compareOrder).map(presentItem) };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/boards/cards/:id/checklist",
    summary: "Add an item at the bottom of a card's checklist, with an optional assignee and due date",
    tags,
    auth: "user",
    params: idParams,
    body: createChecklistItemBody,
    response: checklistItemSchema,
    status: 201,
    idempotent: true,
    handler: async ({ actor, params, body }) => {
      const c = await k.policy.authorize(actor, CardResource, "update", await loadCard(db, params.id, actor));
      await assignee(actor, body.assigneeId);
      return withBoardLock(db, c.board_id, async (tx) => {
        const items = await tx
          .selectFrom("boards_checklist_items")
          .select(["id", "position"])
          .where("card_id", "=", c.id)
          .execute();
        if (items.length >= 200) throw new AppError("conflict", "a checklist holds at most 200 items");
        const last = items.sort(compareOrder).at(-1);
        const row: BoardsChecklistItemsTable = {
          id: uuidv7(),
          card_id: c.id,
          board_id: c.board_id,
          text: body.text,
          done: 0,
          assignee_id: body.assigneeId,
          due_at: storedDue(body.dueAt),
          position: generateKeyBetween(last?.position ?? null, null),
          created_at: new Date().toISOString(),
        };
        // A card deleted meanwhile: its row is gone under the lock.
        if (!(await tx.selectFrom("boards_cards").select("id").where("id", "=", c.id).executeTakeFirst()))
          throw new AppError("not_found", "card not found");
        await tx.insertInto("boards_checklist_items").values(row).execute();
        const item = presentItem(row);
        await publish(tx, "boards.checklist_item.created", actor.id, c.board_id, { item }, { card: c.id });
        await recount(tx, actor.id, c.id);
        return item;
      });
    },
  });

  route(app, {
    method: "PATCH",
    url: "/api/boards/checklist-items/:id",
    summary: "Tick, rename, assign or date a checklist item",
    tags,
    auth: "user",
    params: idParams,
    body: updateChecklistItemBody,
    response: checklistItemSchema,
    handler: async ({ actor, params, body }) => {
      const { item, card } = await itemFor(actor, params.id);
      await assignee(actor, body.assigneeId);
      const patch = {
        ...(body.text !== undefined ? { text: body.text } : {}),
        ...(body.done !== undefined ? { done: body.done ? 1 : 0 } : {}),
        ...(body.assigneeId !== undefined ? { assignee_id: body.assigneeId } : {}),
        ...(body.dueAt !== undefined ? { due_at: storedDue(body.dueAt) } : {}),
      };
      return withBoardLock(db, card.board_id, async (tx) => {
        const r = await tx
          .updateTable("boards_checklist_items")
          .set(patch)
          .where("id", "=", item.id)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw new AppError("not_found", "checklist item not found");
        const row = await tx
          .selectFrom("boards_checklist_items")
          .selectAll()
          .where("id", "=", item.id)
          .executeTakeFirstOrThrow();
        const presented = presentItem(row);
        await publish(
          tx,
          "boards.checklist_item.updated",
          actor.id,
          card.board_id,
          { item: presented },
          {
            card: card.id,
          },
        );
        if (body.done !== undefined) await recount(tx, actor.id, card.id);
        return presented;
      });
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/boards/checklist-items/:id",
    summary: "Remove a checklist item",
    tags,
    auth: "user",
    params: idParams,
    response: noContent,
    handler: async ({ actor, params }) => {
      const { item, card } = await itemFor(actor, params.id);
      await withBoardLock(db, card.board_id, async (tx) => {
        const r = await tx.deleteFrom("boards_checklist_items").where("id", "=", item.id).executeTakeFirst();
        if (Number(r.numDeletedRows) !== 1) throw new AppError("not_found", "checklist item not found");
        await publish(
          tx,
          "boards.checklist_item.deleted",
          actor.id,
          card.board_id,
          { cardId: card.id, itemId: item.id },
          { card: card.id },
        );
        await recount(tx, actor.id, card.id);
      });
    },
  });
}
