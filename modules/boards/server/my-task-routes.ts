import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { route, type Kernel } from "@ensemble/kernel";
import { myTasksSchema } from "../shared/schemas.ts";
import { cardSummaryColumns, presentCardSummary } from "./boards.ts";
import { CardResource } from "./resources.ts";
import { boardsDb } from "./tables.ts";

/** At most this many tasks: « Mes tâches » is a to-do list, not an export. */
const MY_TASKS_MAX = 200;

/** « Mes tâches »: the open cards assigned to the viewer on every board they may read. */
export function myTaskRoutes(app: FastifyInstance, k: Kernel): void {
  const db = boardsDb(k);

  route(app, {
    method: "GET",
    url: "/api/boards/my-tasks",
    summary:
      "The viewer's open cards (assigned, not done, not archived) across the boards they may read, soonest due first",
    tags: ["boards"],
    auth: "user",
    response: myTasksSchema,
    handler: async ({ actor }) => {
      const rows = await db
        .selectFrom("boards_cards as c")
        .innerJoin("boards_boards as b", "b.id", "c.board_id")
        .select(cardSummaryColumns.map((col) => `c.${col}` as const))
        .select(["b.id as board_id", "b.title as board_title"])
        .where(k.policy.scope(CardResource, actor)("c"))
        // Assignees are a JSON list of ids; an id (a UUID) has no LIKE wildcard in it.
        .where("c.assignee_ids", "like", `%"${actor.id}"%`)
        .where("c.archived_at", "is", null)
        .where("c.done", "=", 0)
        // Cards without a due date last, on both engines (their NULL order differs).
        .orderBy(sql`c.due_at is null`)
        .orderBy("c.due_at")
        .orderBy("c.id")
        .limit(MY_TASKS_MAX)
        .execute();
      return {
        items: rows.map((r) => ({ ...presentCardSummary(r), boardId: r.board_id, boardTitle: r.board_title })),
      };
    },
  });
}
