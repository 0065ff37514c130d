import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { decodeCursor, encodeCursor, pageQuery } from "@ensemble/protocol";
import type { Kernel } from "../kernel.ts";
import { route } from "../http/route.ts";
import { AppError } from "../errors.ts";
import { ownedBy, resourceKind } from "../authz/policy.ts";
import { isUser } from "../authz/actor.ts";
import { recordEvent } from "../events/record-event.ts";
import { presentNotification, unreadCount } from "./notification-presenter.ts";
import { markedAllReadSchema, notificationPageSchema, unreadCountSchema } from "@ensemble/protocol/wire/notifications";

export const NotificationResource = resourceKind<{ user_id: string }>()("notification", ["read", "update"] as const);

const listQuery = pageQuery.extend({ unread: z.enum(["true", "false"]).optional() });
const idParams = z.object({ id: z.uuid() });

export function notificationPolicies(k: Kernel): void {
  k.policy.allow(NotificationResource, ["read", "update"], (a, n) => isUser(a) && a.id === n.user_id);
  k.policy.visibility(NotificationResource, (a, ref) => ownedBy(a, ref("user_id")));
}

/** The notification centre: list (newest first), unread count, mark read, mark all read. */
export function notificationRoutes(app: FastifyInstance, k: Kernel): void {
  const db = k.notifications.db;

  route(app, {
    method: "GET",
    url: "/api/notifications",
    summary: "My notifications, newest first, with the unread count",
    tags: ["notifications"],
    auth: "user",
    response: notificationPageSchema,
    query: listQuery,
    handler: async ({ actor, query }) => {
      const cursor = decodeCursor(query.cursor);
      if (query.cursor && (!cursor || cursor.length !== 1)) throw new AppError("validation", "bad cursor");
      let q = db
        .selectFrom("notifications")
        .selectAll()
        .where(k.policy.scope(NotificationResource, actor)("notifications"))
        .where("in_app", "=", 1)
        .orderBy("id", "desc")
        .limit(query.limit + 1);
      if (query.unread === "true") q = q.where("read_at", "is", null);
      if (cursor) q = q.where("id", "<", String(cursor[0]));
      const rows = await q.execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(presentNotification),
        next: rows.length > query.limit && last ? encodeCursor([last.id]) : null,
        unreadCount: await unreadCount(db, actor.id),
      };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/notifications/unread-count",
    summary: "How many notifications I have not read",
    tags: ["notifications"],
    auth: "user",
    response: unreadCountSchema,
    handler: async ({ actor }) => ({ unreadCount: await unreadCount(db, actor.id) }),
  });

  route(app, {
    method: "POST",
    url: "/api/notifications/:id/read",
    summary: "Mark one notification read",
    tags: ["notifications"],
    auth: "user",
    response: unreadCountSchema,
    params: idParams,
    handler: async ({ actor, params }) => {
      const row = await db
        .selectFrom("notifications")
        .select(["id", "user_id", "read_at"])
        .where("id", "=", params.id)
        .where("in_app", "=", 1)
        .executeTakeFirst();
      const n = await k.policy.authorize(actor, NotificationResource, "update", row);
      return db.transaction().execute(async (tx) => {
        const r = await tx
          .updateTable("notifications")
          .set({ read_at: new Date().toISOString() })
          .where("id", "=", params.id)
          .where("read_at", "is", null)
          .executeTakeFirst();
        const count = await unreadCount(tx, n.user_id);
        // Other tabs and devices update their bell at once.
        if (Number(r.numUpdatedRows) === 1) {
          await recordEvent(tx, {
            name: "notifications.notification.read",
            actorId: actor.id,
            resources: { notification: params.id },
            payload: { ids: [params.id], unreadCount: count },
            topics: [`user:${actor.id}`],
          });
        }
        return { unreadCount: count };
      });
    },
  });

  route(app, {
    method: "POST",
    url: "/api/notifications/read-all",
    summary: "Mark all my notifications read",
    tags: ["notifications"],
    auth: "user",
    response: markedAllReadSchema,
    handler: async ({ actor }) =>
      db.transaction().execute(async (tx) => {
        const r = await tx
          .updateTable("notifications")
          .set({ read_at: new Date().toISOString() })
          .where("user_id", "=", actor.id)
          .where("read_at", "is", null)
          .executeTakeFirst();
        const marked = Number(r.numUpdatedRows);
        if (marked > 0) {
          await recordEvent(tx, {
            name: "notifications.notification.read",
            actorId: actor.id,
            resources: { user: actor.id },
            payload: { all: true, unreadCount: 0 },
            topics: [`user:${actor.id}`],
          });
        }
        return { marked, unreadCount: 0 };
      }),
  });
}
