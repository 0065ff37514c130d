import { defineModule } from "../module.ts";
import { defineEventHandler } from "../events/dispatcher.ts";
import type { NotificationIntent } from "./notification-types.ts";
import { INTENT_EVENT } from "./notify.ts";
import { notificationEvents } from "./notification-events.ts";
import { notificationPolicies, notificationRoutes } from "./notification-routes.ts";
import { preferenceRoutes } from "./preference-routes.ts";
import { runDigest } from "./digest.ts";

/**
 * The notification centre as a module: it consumes the intents modules
 * record with `notify(tx, …)`, serves the centre and preferences, makes the
 * VAPID keys on first start and runs the e-mail digest once per cluster.
 */
export const notificationsModule = defineModule({
  name: "notifications",
  policies: notificationPolicies,
  events: Object.values(notificationEvents),
  eventHandlers: (k) => [
    defineEventHandler({
      name: "notifications",
      events: [INTENT_EVENT],
      handle: async (event) => {
        const intent = event.payload as NotificationIntent;
        await k.notifications.send({ ...intent, actorId: event.actorId, key: intent.key ?? event.id });
      },
    }),
  ],
  routes: (app, k) => {
    notificationRoutes(app, k);
    preferenceRoutes(app, k);
  },
  start: async (k) => {
    await k.notifications.vapidKeys();
    k.jobs.every("notifications.digest", k.config.NOTIFY_DIGEST_INTERVAL_MS, async () => {
      await runDigest(k.notifications);
    });
  },
});
