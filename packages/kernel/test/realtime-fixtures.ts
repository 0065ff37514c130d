import { z } from "zod";
import {
  defineEvent,
  defineModule,
  recordEvent,
  route,
  type EventHandler,
  type ModuleDefinition,
  type PayloadsOf,
} from "@ensemble/kernel";
import { accountsModule } from "../src/accounts/module.ts";
import { realtimeModule } from "../src/realtime/realtime-module.ts";

const fixtureEvents = { postCreated: defineEvent("fixture.post.created", z.object({ text: z.string() }), 1) };

declare module "@ensemble/kernel" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends PayloadsOf<typeof fixtureEvents> {}
}

/**
 * A stand-in service module for the event suites: a `room:` topic family
 * whose membership the test controls, a route that records events on a room
 * (as chat will), and whatever extra event handlers a test wants to observe.
 */
export function fixtureModules(
  opts: { handlers?: EventHandler[]; members?: Map<string, Set<string>> } = {},
): ModuleDefinition[] {
  const members = opts.members ?? new Map<string, Set<string>>();
  const fixture = defineModule({
    name: "fixture",
    events: Object.values(fixtureEvents),
    topics: () => [
      { prefix: "room:", authorizeTopic: async (actor, topic) => members.get(topic.slice(5))?.has(actor.id) ?? true },
    ],
    eventHandlers: () => opts.handlers ?? [],
    routes: (app, k) => {
      route(app, {
        method: "POST",
        url: "/api/fixture/rooms/:room/posts",
        summary: "Records one event per text on room:<room> (test fixture)",
        auth: "user",
        response: z.object({ ok: z.boolean() }),
        params: z.object({ room: z.string().regex(/^[a-z0-9-]+$/) }),
        body: z.object({ texts: z.array(z.string()).min(1).max(500) }),
        handler: async ({ actor, params, body }) => {
          for (const text of body.texts) {
            await k.db.transaction().execute((tx) =>
              recordEvent(tx, {
                name: "fixture.post.created",
                actorId: actor.id,
                resources: { room: params.room },
                payload: { text },
                topics: [`room:${params.room}`],
              }),
            );
          }
          return { ok: true };
        },
      });
    },
  });
  return [accountsModule, realtimeModule, fixture];
}
