import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { uuidv7 } from "@ensemble/protocol";
import { AppError, noContent, route, type Kernel } from "@ensemble/kernel";
import { commentListSchema, commentSchema, createCommentBody } from "../shared/schemas.ts";
import { loadCard, loadComment, presentCard, presentComment, withBoardLock } from "./boards.ts";
import { publish } from "./publish.ts";
import { CardResource, CommentResource } from "./resources.ts";
import { idParams } from "./route-helpers.ts";
import { boardsDb, type BoardsDb } from "./tables.ts";

/** The card's comment count changes with its comments; viewers get the card again. */
async function recount(tx: BoardsDb, actorId: string, cardId: string, delta: 1 | -1): Promise<void> {
  await tx
    .updateTable("boards_cards")
    .set({ comment_count: sql<number>`comment_count + ${delta}` })
    .where("id", "=", cardId)
    .execute();
  const card = await tx.selectFrom("boards_cards").selectAll().where("id", "=", cardId).executeTakeFirst();
  if (!card) throw new AppError("not_found", "card not found");
  await publish(tx, "boards.card.updated", actorId, card.board_id, { card: presentCard(card) }, { card: cardId });
}

/** Comments on a card: list, add, delete. */
export function commentRoutes(app: FastifyInstance, k: Kernel): void {
  const db = boardsDb(k);
  const tags = ["boards"];

  route(app, {
    method: "GET",
    url: "/api/boards/cards/:id/comments",
    summary: "A card's comments, oldest first",
    tags,
    auth: "user",
    params: idParams,
    response: commentListSchema,
    handler: async ({ actor, params }) => {
      const c = await k.policy.authorize(actor, CardResource, "read", await loadCard(db, params.id, actor));
      const rows = await db
        .selectFrom("boards_comments")
        .selectAll()
        .where("card_id", "=", c.id)
        .orderBy("id")
        .limit(1000)
        .execute();
      return { items: rows.map(presentComment) };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/boards/cards/:id/comments",
    summary: "Comment on a card",
    tags,
    auth: "user",
    params: idParams,
    body: createCommentBody,
    response: commentSchema,
    status: 201,
    idempotent: true,
    handler: async ({ actor, params, body }) => {
      const c = await k.policy.authorize(actor, CardResource, "comment", await loadCard(db, params.id, actor));
      const row = {
        id: uuidv7(),
        card_id: c.id,
        board_id: c.board_id,
        author_id: actor.id,
        text: body.text,
        created_at: new Date().toISOString(),
      };
      await withBoardLock(db, c.board_id, async (tx) => {
        await tx.insertInto("boards_comments").values(row).execute();
        await publish(
          tx,
          "boards.comment.created",
          actor.id,
          c.board_id,
          { comment: presentComment(row) },
          { card: c.id, comment: row.id },
        );
        await recount(tx, actor.id, c.id, 1);
      });
      return presentComment(row);
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/boards/comments/:id",
    summary: "Delete a comment (its author, or a board administrator)",
    tags,
    auth: "user",
    params: idParams,
    response: noContent,
    handler: async ({ actor, params }) => {
      const c = await k.policy.authorize(actor, CommentResource, "delete", await loadComment(db, params.id, actor));
      await withBoardLock(db, c.board_id, async (tx) => {
        const r = await tx.deleteFrom("boards_comments").where("id", "=", c.id).executeTakeFirst();
        if (Number(r.numDeletedRows) !== 1) throw new AppError("not_found", "comment not found");
        await publish(
          tx,
          "boards.comment.deleted",
          actor.id,
          c.board_id,
          { cardId: c.card_id, commentId: c.id },
          { card: c.card_id, comment: c.id },
        );
        await recount(tx, actor.id, c.card_id, -1);
      });
    },
  });
}
