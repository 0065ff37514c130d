import type { Kysely } from "kysely";
import type { EventTables } from "./event-tables.ts";
import type { TransactionLike } from "./record-event.ts";
import type { NotificationTables } from "../notifications/notification-tables.ts";

/** The kernel's own events that copy a source's text: the notification intent and the delivered notification. */
const INTENT = "notifications.intent.created";
const DELIVERED = "notifications.notification.created";

/** Answers the payload without the copied content, or unchanged when the event holds none. */
export type Redactor = (name: string, payload: unknown) => unknown;

const record = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

function redactKernel(name: string, payload: unknown): unknown {
  if (name === INTENT && record(payload)) return { ...payload, body: undefined };
  if (name === DELIVERED && record(payload) && record(payload.notification))
    return { ...payload, notification: { ...payload.notification, body: null } };
  return payload;
}

/**
 * Removes what was copied from `sources` (`chat.message:<id>`, deleted,
 * edited or purged) from everywhere the kernel keeps it, in the caller's
 * transaction: the payloads of recorded events (the realtime catch-up log,
 * undelivered notification intents) are rewritten by the module's
 * `redact` and the kernel's own, and stored notifications lose their
 * excerpt. Push messages are built from the notification row when sent, so
 * none queued keeps the text.
 */
export async function redactSources(tx: TransactionLike, sources: readonly string[], redact: Redactor): Promise<void> {
  if (!sources.length) return;
  const db = tx as unknown as Kysely<EventTables & NotificationTables>;
  const rows = await db.selectFrom("events").select(["id", "name", "payload"]).where("source", "in", sources).execute();
  for (const r of rows) {
    const before = JSON.parse(r.payload) as unknown;
    const after = JSON.stringify(redactKernel(r.name, redact(r.name, before)) ?? null);
    if (after !== r.payload) await db.updateTable("events").set({ payload: after }).where("id", "=", r.id).execute();
  }
  await db
    .updateTable("notifications")
    .set({ body: null })
    .where("source_key", "in", sources)
    .where("body", "is not", null)
    .execute();
}
