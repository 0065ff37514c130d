import type { Kysely } from "kysely";
import type { TransactionLike } from "../events/record-event.ts";
import type { LocalizedText } from "./notification-types.ts";
import type { NotificationTables, NotificationsTable } from "./notification-tables.ts";
import type { Notification } from "@ensemble/protocol/wire/notifications";

export const presentNotification = (n: NotificationsTable): Notification => ({
  id: n.id,
  kind: n.kind,
  actorId: n.actor_id,
  title: JSON.parse(n.title) as LocalizedText,
  body: n.body ? (JSON.parse(n.body) as LocalizedText) : null,
  link: n.link,
  importance: n.importance,
  data: JSON.parse(n.data) as Record<string, unknown>,
  createdAt: n.created_at,
  readAt: n.read_at,
});

export async function unreadCount(db: TransactionLike, userId: string): Promise<number> {
  const r = await (db as unknown as Kysely<NotificationTables>)
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("in_app", "=", 1)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
