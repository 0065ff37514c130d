import { recordEvent, type TransactionLike } from "../events/record-event.ts";
import type { NotificationIntent } from "./notification-types.ts";
import { KIND_RE } from "./notification-types.ts";
import { notificationEvents } from "./notification-events.ts";

export const INTENT_EVENT = notificationEvents.intentCreated.name;

/**
 * Records a notification intent in the caller's transaction (the outbox):
 * it is delivered after commit, and only if the change commits.
 */
export async function notify(tx: TransactionLike, intent: NotificationIntent): Promise<void> {
  if (!KIND_RE.test(intent.kind)) throw new Error(`notification kind must be module.what, got ${intent.kind}`);
  await recordEvent(tx, {
    name: INTENT_EVENT,
    actorId: intent.actorId,
    payload: intent,
    ...(intent.key ? { source: intent.key } : {}),
  });
}
