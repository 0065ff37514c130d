import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { uuidv7 } from "@ensemble/protocol";
import { AppError, authorizeOrg, loadGroup, noContent, route, type Actor, type Kernel } from "@ensemble/kernel";
import { generateNKeysBetween } from "fractional-indexing";
import {
  boardListSchema,
  boardSchema,
  boardViewSchema,
  cellPageQuery,
  cellPageSchema,
  createBoardBody,
  updateBoardBody,
  type Board,
  type Label,
} from "../shared/schemas.ts";
import { loadBoard, lockBoard, presentBoardBase, visibleBoards } from "./boards.ts";
import { boardView, cellPage } from "./board-view.ts";
import { publish } from "./publish.ts";
import { idParams } from "./route-helpers.ts";
import { BoardResource, BoardsOrgResource, type BoardRecord } from "./resources.ts";
import { boardsDb, type BoardsBoardsTable } from "./tables.ts";

export async function presentBoard(k: Kernel, actor: Actor, b: BoardRecord): Promise<Board> {
  return { ...presentBoardBase(b), actions: await k.policy.allowedActions(actor, BoardResource, b) };
}

/** Board-defined labels keep their ids; a new one gets an id. */
const withIds = (labels: z.output<typeof updateBoardBody>["labels"] & object): Label[] =>
  labels.map((l) => ({ id: l.id ?? uuidv7(), name: l.name, color: l.color }));

/** Boards: list, create, read (the whole board), change, delete. */
export function boardRoutes(app: FastifyInstance, k: Kernel): void {
  const db = boardsDb(k);

  route(app, {
    method: "GET",
    url: "/api/boards",
    summary: "The boards the viewer may read: theirs, their groups', the organisation's",
    tags: ["boards"],
    auth: "user",
    response: boardListSchema,
    handler: async ({ actor }) => ({
      items: await Promise.all((await visibleBoards(k, db, actor)).map((b) => presentBoard(k, actor, b))),
    }),
  });

  route(app, {
    method: "POST",
    url: "/api/boards",
    summary: "Create a board with one swimlane and the given lists; the creator administers it",
    tags: ["boards"],
    auth: "user",
    body: createBoardBody,
    response: boardSchema,
    status: 201,
    handler: async ({ actor, body }) => {
      await authorizeOrg(k, actor, BoardsOrgResource, "create");
      if (body.visibility === "group" && !body.groupId)
        throw new AppError("validation", "a board visible to a group needs its owning group (groupId)");
      if (body.groupId) {
        const g = await loadGroup(k.db, body.groupId, actor);
        // Only a member of a group gives it a board (a group one cannot see does not exist).
        if (!g || g.viewerRole === null) throw new AppError("not_found", "group not found");
      }
      const now = new Date().toISOString();
      const board: BoardsBoardsTable = {
        id: uuidv7(),
        title: body.title,
        description: body.description,
        visibility: body.visibility,
        group_id: body.groupId ?? null,
        created_by: actor.id,
        labels: "[]",
        version: 0,
        created_at: now,
        updated_at: now,
      };
      const listKeys = generateNKeysBetween(null, null, body.lists.length);
      await db.transaction().execute(async (tx) => {
        await tx.insertInto("boards_boards").values(board).execute();
        await tx
          .insertInto("boards_members")
          .values({ board_id: board.id, user_id: actor.id, role: "admin", created_at: now })
          .execute();
        await tx
          .insertInto("boards_swimlanes")
          .values({ id: uuidv7(), board_id: board.id, title: "", position: "a0", created_at: now })
          .execute();
        if (body.lists.length)
          await tx
            .insertInto("boards_lists")
            .values(
              body.lists.map((title, i) => ({
                id: uuidv7(),
                board_id: board.id,
                title,
                position: listKeys[i]!,
                wip_limit: null,
                wip_mode: "soft" as const,
                created_at: now,
              })),
            )
            .execute();
        await publish(tx, "boards.board.created", actor.id, board.id, { board: presentBoardBase(board) });
      });
      return presentBoard(k, actor, { ...board, viewerRole: "admin", viewerInGroup: false });
    },
  });

  route(app, {
    method: "GET",
    url: "/api/boards/:id",
    summary:
      "A board as its page opens: swimlanes, lists, the first page of open cards of each cell in order, each cell's total, members, the viewer's allowed actions",
    tags: ["boards"],
    auth: "user",
    params: idParams,
    response: boardViewSchema,
    handler: async ({ actor, params }) => {
      const b = await k.policy.authorize(actor, BoardResource, "read", await loadBoard(db, params.id, actor));
      return boardView(db, k.database.kind, b, await presentBoard(k, actor, b));
    },
  });

  route(app, {
    method: "GET",
    url: "/api/boards/:id/cards",
    summary: "The next open cards of one (list, swimlane) cell after a cursor (afterPosition, afterId), and its total",
    tags: ["boards"],
    auth: "user",
    params: idParams,
    query: cellPageQuery,
    response: cellPageSchema,
    handler: async ({ actor, params, query }) => {
      const b = await k.policy.authorize(actor, BoardResource, "read", await loadBoard(db, params.id, actor));
      return cellPage(db, b.id, query);
    },
  });

  route(app, {
    method: "PATCH",
    url: "/api/boards/:id",
    summary: "Rename, describe, change the visibility or the labels of a board",
    tags: ["boards"],
    auth: "user",
    params: idParams,
    body: updateBoardBody,
    response: boardSchema,
    handler: async ({ actor, params, body }) => {
      const b = await k.policy.authorize(actor, BoardResource, "update", await loadBoard(db, params.id, actor));
      if (body.visibility === "group" && !b.group_id)
        throw new AppError("validation", "only a board owned by a group can be visible to the group");
      const patch = {
        ...(body.title !== undefined ? { title: body.title } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.visibility !== undefined ? { visibility: body.visibility } : {}),
        ...(body.labels !== undefined ? { labels: JSON.stringify(withIds(body.labels)) } : {}),
        updated_at: new Date().toISOString(),
      };
      const updated = await db.transaction().execute(async (tx) => {
        if (!(await lockBoard(tx, b.id))) throw new AppError("not_found", "board not found");
        await tx.updateTable("boards_boards").set(patch).where("id", "=", b.id).execute();
        const row = await tx.selectFrom("boards_boards").selectAll().where("id", "=", b.id).executeTakeFirstOrThrow();
        await publish(tx, "boards.board.updated", actor.id, b.id, { board: presentBoardBase(row) });
        return row;
      });
      return presentBoard(k, actor, { ...b, ...updated });
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/boards/:id",
    summary: "Delete a board with everything on it",
    tags: ["boards"],
    auth: "user",
    params: idParams,
    response: noContent,
    handler: async ({ actor, params }) => {
      const b = await k.policy.authorize(actor, BoardResource, "delete", await loadBoard(db, params.id, actor));
      await db.transaction().execute(async (tx) => {
        await publish(tx, "boards.board.deleted", actor.id, b.id, { boardId: b.id });
        await tx.deleteFrom("boards_boards").where("id", "=", b.id).execute();
      });
    },
  });
}
