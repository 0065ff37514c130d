import type { FastifyInstance } from "fastify";
import { z, type ZodType } from "zod";
import { AppError, noContent, route, type Kernel } from "@ensemble/kernel";
import { ChatRoomResource } from "../resources.ts";
import { loadRoom } from "../rooms.ts";
import { type ChatTables, chatDb } from "../tables.ts";

type HookTable = "chat_incoming_webhooks" | "chat_outgoing_webhooks";

/**
 * The list and delete routes every kind of room webhook shares: both belong
 * to a room and are managed by whoever may manage it, so a hook of a room one
 * may not manage is listed nowhere and cannot be deleted.
 */
export function roomHookRoutes<T extends HookTable>(
  app: FastifyInstance,
  k: Kernel,
  o: {
    table: T;
    path: "incoming-webhooks" | "outgoing-webhooks";
    deleteSummary: string;
    /** The list's response schema; `present` gives each item. */
    list: ZodType;
    present: (row: ChatTables[T]) => unknown;
  },
): void {
  const db = chatDb(k);
  // Both tables share these columns; narrowing to one keeps Kysely's types simple without changing the SQL.
  const table = o.table as HookTable as "chat_incoming_webhooks";
  const rowsOf = (rows: unknown[]) => rows as ChatTables[T][];

  route(app, {
    method: "GET",
    url: `/api/chat/rooms/:roomId/${o.path}`,
    summary: `List this room's ${o.path === "incoming-webhooks" ? "incoming" : "outgoing"} webhooks (without their secrets)`,
    tags: ["chat", "integrations"],
    auth: "user",
    params: z.object({ roomId: z.uuid() }),
    response: o.list,
    handler: async ({ actor, params }) => {
      const room = await k.policy.authorize(
        actor,
        ChatRoomResource,
        "manage",
        await loadRoom(chatDb(k), params.roomId, actor),
      );
      const rows = await db
        .selectFrom(table)
        .selectAll()
        .where("room_id", "=", room.id)
        .orderBy("created_at")
        .execute();
      return { items: rowsOf(rows).map(o.present) };
    },
  });

  route(app, {
    method: "DELETE",
    url: `/api/chat/${o.path}/:id`,
    summary: o.deleteSummary,
    tags: ["chat", "integrations"],
    auth: "user",
    params: z.object({ id: z.uuid() }),
    response: noContent,
    handler: async ({ actor, params }) => {
      const hook = await db.selectFrom(table).select(["id", "room_id"]).where("id", "=", params.id).executeTakeFirst();
      if (!hook) throw new AppError("not_found", "webhook not found");
      await k.policy.authorize(actor, ChatRoomResource, "manage", await loadRoom(chatDb(k), hook.room_id, actor));
      await db.deleteFrom(table).where("id", "=", hook.id).execute();
    },
  });
}
