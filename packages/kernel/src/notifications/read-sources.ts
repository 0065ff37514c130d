import type { Kysely } from "kysely";
import { recordEvent, type TransactionLike } from "../events/record-event.ts";
import type { NotificationTables } from "./notification-tables.ts";
import { unreadCount } from "./notification-presenter.ts";

/** A person rarely has more unread notifications from one module; older ones are left to "mark all read". */
const MAX_SOURCES = 500;

const notifications = (db: TransactionLike) => db as unknown as Kysely<NotificationTables>;

/**
 * The sources (`chat.message:<id>`) of a person's unread in-app
 * notifications that start with `prefix`: what a module may find read on
 * its side (the message was seen in its room) and pass to `readSources`.
 */
export async function unreadSources(db: TransactionLike, userId: string, prefix: string): Promise<string[]> {
  // A module's fixed prefix; LIKE's wildcards have no escape shared by SQLite and PostgreSQL.
  if (/[%_\\]/.test(prefix)) throw new Error(`notification source prefix without LIKE wildcards, got ${prefix}`);
  const rows = await notifications(db)
    .selectFrom("notifications")
    .select("source_key")
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .where("in_app", "=", 1)
    .where("source_key", "like", `${prefix}%`)
    .orderBy("created_at", "desc")
    .limit(MAX_SOURCES)
    .execute();
  return rows.map((r) => r.source_key);
}

/**
 * Marks read, in the caller's transaction, the person's notifications from
 * `sources` — what they have just seen where it happened (a mention read in
 * its room) — and tells their tabs and devices, whose bells update at once,
 * as when the notification itself is opened. Answers how many it marked.
 */
export async function readSources(tx: TransactionLike, userId: string, sources: readonly string[]): Promise<number> {
  if (!sources.length) return 0;
  const db = notifications(tx);
  const rows = await db
    .selectFrom("notifications")
    .select("id")
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .where("source_key", "in", sources)
    .execute();
  if (!rows.length) return 0;
  const ids = rows.map((r) => r.id);
  await db.updateTable("notifications").set({ read_at: new Date().toISOString() }).where("id", "in", ids).execute();
  await recordEvent(tx, {
    name: "notifications.notification.read",
    actorId: userId,
    resources: { user: userId },
    payload: { ids, unreadCount: await unreadCount(tx, userId) },
    topics: [`user:${userId}`],
  });
  return ids.length;
}
