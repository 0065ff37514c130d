import { z } from "zod";
import { defineModule } from "../module.ts";
import { can, Capability } from "../authz/capabilities.ts";
import { route } from "../http/route.ts";
import { recordEvent } from "../events/record-event.ts";
import { defineEventHandler } from "../events/dispatcher.ts";
import { nowIso } from "../db/database.ts";
import { AppError } from "../errors.ts";
import { realtimeRoute } from "./ws-route.ts";
import { toWire } from "./topic-log.ts";

declare module "../events/record-event.ts" {
  interface EventPayloads {
    "accounts.user.status_changed": { userId: string; statusMessage: string };
  }
}

/**
 * The kernel's realtime pieces as a module: the /ws endpoint, the kernel
 * topics (`user:<id>`, `presence:<id>`), the handler that fans committed
 * events out to the gateway, and the event-log retention job.
 */
export const realtimeModule = defineModule({
  name: "realtime",
  topics: (k) => [
    // A user's private feed: only that user.
    { prefix: "user:", authorizeTopic: async (actor, topic) => topic === `user:${actor.id}` },
    // Presence is visible to whoever may browse the directory, and to oneself.
    {
      prefix: "presence:",
      ephemeral: true,
      authorizeTopic: async (actor, topic) =>
        topic === `presence:${actor.id}` || can(actor.role, Capability.browseDirectory, await k.settings.get()),
    },
  ],
  eventHandlers: (k) => [
    defineEventHandler({
      name: "realtime",
      handle: async (event) => {
        if (!event.topics.length) return;
        const wire = toWire(event);
        for (const t of event.topics) await k.realtime.publish(t.topic, t.seq, wire);
      },
    }),
  ],
  routes: (app, k) => {
    realtimeRoute(app, k);
    route(app, {
      method: "PUT",
      url: "/api/me/status",
      summary: "Set one's status message (shown next to one's name); tells one's other devices at once",
      tags: ["realtime"],
      auth: "user",
      body: z.object({ message: z.string().trim().max(140) }),
      handler: async ({ actor, body }) => {
        const updated = await k.db.transaction().execute(async (tx) => {
          const r = await tx
            .updateTable("users")
            .set({ status_message: body.message, updated_at: nowIso() })
            .where("id", "=", actor.id)
            .executeTakeFirst();
          if (Number(r.numUpdatedRows) !== 1) return false;
          await recordEvent(tx, {
            name: "accounts.user.status_changed",
            actorId: actor.id,
            resources: { user: actor.id },
            payload: { userId: actor.id, statusMessage: body.message },
            topics: [`user:${actor.id}`],
          });
          return true;
        });
        if (!updated) throw new AppError("not_found", "user not found");
        return { statusMessage: body.message };
      },
    });
  },
  start: (k) => {
    k.jobs.every("events.retention", 15 * 60_000, () => k.events.prune());
  },
});
