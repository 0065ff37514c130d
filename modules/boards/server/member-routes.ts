import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AppError, noContent, route, type Kernel } from "@ensemble/kernel";
import { BoardCapability, boardCapabilityTable } from "../shared/capabilities.ts";
import { addMemberBody, memberListSchema, memberSchema, setRoleBody, type Member } from "../shared/schemas.ts";
import { loadBoard, lockBoard } from "./boards.ts";
import { idParams, visibleUser } from "./route-helpers.ts";
import { publish } from "./publish.ts";
import { BoardResource } from "./resources.ts";
import { boardsDb, type BoardsDb } from "./tables.ts";

/** The board's explicit members with their names, by name. */
export async function boardMembers(db: BoardsDb, boardId: string, userId?: string): Promise<Member[]> {
  let q = db
    .selectFrom("boards_members as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["m.user_id", "m.role", "u.username", "u.display_name"])
    .where("m.board_id", "=", boardId);
  if (userId) q = q.where("m.user_id", "=", userId);
  const rows = await q.orderBy("u.username").execute();
  return rows.map((r) => ({ userId: r.user_id, username: r.username, displayName: r.display_name, role: r.role }));
}

/** A board keeps someone who manages its members: the last one is neither removed nor demoted. */
async function keepsAManager(tx: BoardsDb, boardId: string, userId: string): Promise<void> {
  const managers = (
    await tx.selectFrom("boards_members").select(["user_id", "role"]).where("board_id", "=", boardId).execute()
  ).filter((m) => boardCapabilityTable.can(m.role, BoardCapability.manageMembers));
  if (managers.length === 1 && managers[0]!.user_id === userId)
    throw new AppError("conflict", "a board keeps at least one member who manages its members");
}

const memberParams = z.object({ id: z.uuid(), userId: z.uuid() });

/** Board members: list, add, change a role, remove. */
export function memberRoutes(app: FastifyInstance, k: Kernel): void {
  const db = boardsDb(k);

  route(app, {
    method: "GET",
    url: "/api/boards/:id/members",
    summary: "The board's members and their roles",
    tags: ["boards"],
    auth: "user",
    params: idParams,
    response: memberListSchema,
    handler: async ({ actor, params }) => {
      const b = await k.policy.authorize(actor, BoardResource, "read", await loadBoard(db, params.id, actor));
      return { items: await boardMembers(db, b.id) };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/boards/:id/members",
    summary: "Add someone to a board with a role (a guest of the organisation is invited to this board only)",
    tags: ["boards"],
    auth: "user",
    params: idParams,
    body: addMemberBody,
    response: memberSchema,
    status: 201,
    handler: async ({ actor, params, body }) => {
      const b = await k.policy.authorize(actor, BoardResource, "manage_members", await loadBoard(db, params.id, actor));
      const userId = await visibleUser(k, actor, body.userId);
      const member = await db.transaction().execute(async (tx) => {
        if (!(await lockBoard(tx, b.id))) throw new AppError("not_found", "board not found");
        const inserted = await tx
          .insertInto("boards_members")
          .values({ board_id: b.id, user_id: userId, role: body.role, created_at: new Date().toISOString() })
          .onConflict((oc) => oc.columns(["board_id", "user_id"]).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1)
          throw new AppError("conflict", "already a member of this board");
        const [m] = await boardMembers(tx, b.id, userId);
        await publish(tx, "boards.member.added", actor.id, b.id, { boardId: b.id, member: m! }, { user: userId });
        return m!;
      });
      return member;
    },
  });

  route(app, {
    method: "PATCH",
    url: "/api/boards/:id/members/:userId",
    summary: "Change a member's role",
    tags: ["boards"],
    auth: "user",
    params: memberParams,
    body: setRoleBody,
    response: memberSchema,
    handler: async ({ actor, params, body }) => {
      const b = await k.policy.authorize(actor, BoardResource, "manage_members", await loadBoard(db, params.id, actor));
      const member = await db.transaction().execute(async (tx) => {
        if (!(await lockBoard(tx, b.id))) throw new AppError("not_found", "board not found");
        if (!boardCapabilityTable.can(body.role, BoardCapability.manageMembers))
          await keepsAManager(tx, b.id, params.userId);
        const r = await tx
          .updateTable("boards_members")
          .set({ role: body.role })
          .where("board_id", "=", b.id)
          .where("user_id", "=", params.userId)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw new AppError("not_found", "member not found");
        const [m] = await boardMembers(tx, b.id, params.userId);
        await publish(
          tx,
          "boards.member.updated",
          actor.id,
          b.id,
          { boardId: b.id, member: m! },
          { user: params.userId },
        );
        return m!;
      });
      await k.realtime.reauthorize(params.userId);
      return member;
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/boards/:id/members/:userId",
    summary: "Remove a member (anyone may leave; managers remove others)",
    tags: ["boards"],
    auth: "user",
    params: memberParams,
    response: noContent,
    handler: async ({ actor, params }) => {
      const board = await loadBoard(db, params.id, actor);
      const b =
        params.userId === actor.id && board?.viewerRole
          ? await k.policy.authorize(actor, BoardResource, "read", board)
          : await k.policy.authorize(actor, BoardResource, "manage_members", board);
      await db.transaction().execute(async (tx) => {
        if (!(await lockBoard(tx, b.id))) throw new AppError("not_found", "board not found");
        await keepsAManager(tx, b.id, params.userId);
        const r = await tx
          .deleteFrom("boards_members")
          .where("board_id", "=", b.id)
          .where("user_id", "=", params.userId)
          .executeTakeFirst();
        if (Number(r.numDeletedRows) !== 1) throw new AppError("not_found", "member not found");
        await publish(
          tx,
          "boards.member.removed",
          actor.id,
          b.id,
          { boardId: b.id, userId: params.userId },
          { user: params.userId },
        );
      });
      // They may still read it (organisation or group visibility): the policy decides again.
      await k.realtime.reauthorize(params.userId);
    },
  });
}
