import type { FastifyInstance } from "fastify";
import { uuidv7 } from "@ensemble/protocol";
import { AppError, noContent, route, type Kernel } from "@ensemble/kernel";
import {
  createListBody,
  createSwimlaneBody,
  listSchema,
  placementBody,
  swimlaneSchema,
  updateListBody,
  updateSwimlaneBody,
} from "../shared/schemas.ts";
import { loadBoard, loadList, loadSwimlane, withBoardLock, presentList, presentSwimlane } from "./boards.ts";
import { place, type Neighbours, type Placement } from "./placement.ts";
import { publish } from "./publish.ts";
import { BoardResource, ListResource, SwimlaneResource } from "./resources.ts";
import { idParams } from "./route-helpers.ts";
import { boardsDb, type BoardsDb } from "./tables.ts";

type LaneTable = "boards_lists" | "boards_swimlanes";

/**
 * Places a list or swimlane among the board's others (placement.ts, the same
 * rule as cards) and writes any re-keyed siblings' new keys. Call with the
 * board locked.
 */
async function placeLane(
  tx: BoardsDb,
  table: LaneTable,
  boardId: string,
  exceptId: string,
  n: Neighbours,
): Promise<Placement> {
  // Both tables share (id, board_id, position); the cast names one of them for Kysely.
  const t = table as "boards_lists";
  const siblings = await tx
    .selectFrom(t)
    .select(["id", "position"])
    .where("board_id", "=", boardId)
    .where("id", "!=", exceptId)
    .execute();
  const p = place(siblings, n);
  for (const r of p.rekeyed) await tx.updateTable(t).set({ position: r.position }).where("id", "=", r.id).execute();
  return p;
}

/** Lists (columns, with their WIP limit) and swimlanes (rows): create, change, reorder, delete. */
export function laneRoutes(app: FastifyInstance, k: Kernel): void {
  const db = boardsDb(k);
  const tags = ["boards"];

  route(app, {
    method: "POST",
    url: "/api/boards/:id/lists",
    summary: "Add a list (placed after `afterId`, before `beforeId`, else last)",
    tags,
    auth: "user",
    params: idParams,
    body: createListBody,
    response: listSchema,
    status: 201,
    handler: async ({ actor, params, body }) => {
      const b = await k.policy.authorize(actor, BoardResource, "edit_structure", await loadBoard(db, params.id, actor));
      return withBoardLock(db, b.id, async (tx) => {
        const id = uuidv7();
        const { position, rekeyed } = await placeLane(tx, "boards_lists", b.id, id, body);
        const row = {
          id,
          board_id: b.id,
          title: body.title,
          position,
          wip_limit: body.wipLimit,
          wip_mode: body.wipMode,
          created_at: new Date().toISOString(),
        };
        await tx.insertInto("boards_lists").values(row).execute();
        await publish(tx, "boards.list.created", actor.id, b.id, { list: presentList(row) }, { list: id });
        await publishRekeyedLanes(
          tx,
          "boards_lists",
          actor.id,
          b.id,
          rekeyed.map((r) => r.id),
        );
        return presentList(row);
      });
    },
  });

  route(app, {
    method: "PATCH",
    url: "/api/boards/lists/:id",
    summary: "Rename a list or change its WIP limit",
    tags,
    auth: "user",
    params: idParams,
    body: updateListBody,
    response: listSchema,
    handler: async ({ actor, params, body }) => {
      const l = await k.policy.authorize(actor, ListResource, "update", await loadList(db, params.id, actor));
      return withBoardLock(db, l.board_id, async (tx) => {
        await tx
          .updateTable("boards_lists")
          .set({
            ...(body.title !== undefined ? { title: body.title } : {}),
            ...(body.wipLimit !== undefined ? { wip_limit: body.wipLimit } : {}),
            ...(body.wipMode !== undefined ? { wip_mode: body.wipMode } : {}),
          })
          .where("id", "=", l.id)
          .execute();
        const row = await tx.selectFrom("boards_lists").selectAll().where("id", "=", l.id).executeTakeFirst();
        if (!row) throw new AppError("not_found", "list not found");
        await publish(tx, "boards.list.updated", actor.id, l.board_id, { list: presentList(row) }, { list: l.id });
        return presentList(row);
      });
    },
  });

  route(app, {
    method: "POST",
    url: "/api/boards/:id/swimlanes",
    summary: "Add a swimlane (placed after `afterId`, before `beforeId`, else last)",
    tags,
    auth: "user",
    params: idParams,
    body: createSwimlaneBody,
    response: swimlaneSchema,
    status: 201,
    handler: async ({ actor, params, body }) => {
      const b = await k.policy.authorize(actor, BoardResource, "edit_structure", await loadBoard(db, params.id, actor));
      return withBoardLock(db, b.id, async (tx) => {
        const id = uuidv7();
        const { position, rekeyed } = await placeLane(tx, "boards_swimlanes", b.id, id, body);
        const row = { id, board_id: b.id, title: body.title, position, created_at: new Date().toISOString() };
        await tx.insertInto("boards_swimlanes").values(row).execute();
        await publish(
          tx,
          "boards.swimlane.created",
          actor.id,
          b.id,
          { swimlane: presentSwimlane(row) },
          { swimlane: id },
        );
        await publishRekeyedLanes(
          tx,
          "boards_swimlanes",
          actor.id,
          b.id,
          rekeyed.map((r) => r.id),
        );
        return presentSwimlane(row);
      });
    },
  });

  route(app, {
    method: "PATCH",
    url: "/api/boards/swimlanes/:id",
    summary: "Rename a swimlane",
    tags,
    auth: "user",
    params: idParams,
    body: updateSwimlaneBody,
    response: swimlaneSchema,
    handler: async ({ actor, params, body }) => {
      const s = await k.policy.authorize(actor, SwimlaneResource, "update", await loadSwimlane(db, params.id, actor));
      return withBoardLock(db, s.board_id, async (tx) => {
        await tx.updateTable("boards_swimlanes").set({ title: body.title }).where("id", "=", s.id).execute();
        const row = { ...s, title: body.title };
        await publish(
          tx,
          "boards.swimlane.updated",
          actor.id,
          s.board_id,
          { swimlane: presentSwimlane(row) },
          { swimlane: s.id },
        );
        return presentSwimlane(row);
      });
    },
  });

  for (const lane of [
    { table: "boards_lists", noun: "list", kind: ListResource, load: loadList },
    { table: "boards_swimlanes", noun: "swimlane", kind: SwimlaneResource, load: loadSwimlane },
  ] as const) {
    const path = lane.noun === "list" ? "lists" : "swimlanes";

    route(app, {
      method: "POST",
      url: `/api/boards/${path}/:id/move`,
      summary: `Reorder a ${lane.noun} (after \`afterId\`, else before \`beforeId\`, else first if afterId is null, else last)`,
      tags,
      auth: "user",
      params: idParams,
      body: placementBody,
      response: lane.noun === "list" ? listSchema : swimlaneSchema,
      handler: async ({ actor, params, body }) => {
        const r = await lane.load(db, params.id, actor);
        if (lane.noun === "list")
          await k.policy.authorize(actor, ListResource, "move", r as Awaited<ReturnType<typeof loadList>>);
        else await k.policy.authorize(actor, SwimlaneResource, "move", r as Awaited<ReturnType<typeof loadSwimlane>>);
        const boardId = r!.board_id;
        return withBoardLock(db, boardId, async (tx) => {
          const { position, rekeyed } = await placeLane(tx, lane.table, boardId, params.id, body);
          await tx
            .updateTable(lane.table as "boards_lists")
            .set({ position })
            .where("id", "=", params.id)
            .execute();
          await publishRekeyedLanes(tx, lane.table, actor.id, boardId, [params.id, ...rekeyed.map((x) => x.id)]);
          return { ...(await laneRow(tx, lane.table, params.id)) };
        });
      },
    });

    route(app, {
      method: "DELETE",
      url: `/api/boards/${path}/:id`,
      summary: `Delete a ${lane.noun} and its cards${lane.noun === "swimlane" ? " (a board keeps one swimlane)" : ""}`,
      tags,
      auth: "user",
      params: idParams,
      response: noContent,
      handler: async ({ actor, params }) => {
        const r = await lane.load(db, params.id, actor);
        if (lane.noun === "list")
          await k.policy.authorize(actor, ListResource, "delete", r as Awaited<ReturnType<typeof loadList>>);
        else await k.policy.authorize(actor, SwimlaneResource, "delete", r as Awaited<ReturnType<typeof loadSwimlane>>);
        const boardId = r!.board_id;
        await withBoardLock(db, boardId, async (tx) => {
          if (lane.noun === "swimlane") {
            const n = await tx
              .selectFrom("boards_swimlanes")
              .select((e) => e.fn.countAll<number>().as("n"))
              .where("board_id", "=", boardId)
              .executeTakeFirstOrThrow();
            if (Number(n.n) <= 1) throw new AppError("conflict", "a board keeps at least one swimlane");
          }
          const column = lane.noun === "list" ? "list_id" : "swimlane_id";
          await tx.deleteFrom("boards_cards").where(column, "=", params.id).execute();
          await tx
            .deleteFrom(lane.table as "boards_lists")
            .where("id", "=", params.id)
            .execute();
          if (lane.noun === "list")
            await publish(
              tx,
              "boards.list.deleted",
              actor.id,
              boardId,
              { boardId, listId: params.id },
              { list: params.id },
            );
          else
            await publish(
              tx,
              "boards.swimlane.deleted",
              actor.id,
              boardId,
              { boardId, swimlaneId: params.id },
              { swimlane: params.id },
            );
        });
      },
    });
  }
}

async function laneRow(tx: BoardsDb, table: LaneTable, id: string) {
  if (table === "boards_lists")
    return presentList(await tx.selectFrom("boards_lists").selectAll().where("id", "=", id).executeTakeFirstOrThrow());
  return presentSwimlane(
    await tx.selectFrom("boards_swimlanes").selectAll().where("id", "=", id).executeTakeFirstOrThrow(),
  );
}

/** One `moved` event per list or swimlane whose key changed (the moved one, and any re-keyed siblings). */
async function publishRekeyedLanes(
  tx: BoardsDb,
  table: LaneTable,
  actorId: string,
  boardId: string,
  ids: readonly string[],
): Promise<void> {
  for (const id of ids) {
    if (table === "boards_lists") {
      const list = presentList(
        await tx.selectFrom("boards_lists").selectAll().where("id", "=", id).executeTakeFirstOrThrow(),
      );
      await publish(tx, "boards.list.moved", actorId, boardId, { list }, { list: id });
    } else {
      const swimlane = presentSwimlane(
        await tx.selectFrom("boards_swimlanes").selectAll().where("id", "=", id).executeTakeFirstOrThrow(),
      );
      await publish(tx, "boards.swimlane.moved", actorId, boardId, { swimlane }, { swimlane: id });
    }
  }
}
