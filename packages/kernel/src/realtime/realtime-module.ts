import { defineModule } from "../module.ts";
import { can, Capability } from "../authz/capabilities.ts";
import { defineEventHandler } from "../events/dispatcher.ts";
import { realtimeRoute } from "./ws-route.ts";
import { toWire } from "./topic-log.ts";

/**
 * The kernel's realtime pieces as a module: the /ws endpoint, the kernel
 * topics (`user:<id>`, `presence:<id>`), the handler that fans committed
 * events out to the gateway, and the event-log retention job.
 */
export const realtimeModule = defineModule({
  name: "realtime",
  namespace: { topics: ["user:", "presence:"] },
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
  },
  start: (k) => {
    k.jobs.every("events.retention", 15 * 60_000, () => k.events.prune());
  },
});
