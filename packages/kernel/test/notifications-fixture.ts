import { z } from "zod";
import { defineModule, notify, route, type ModuleDefinition } from "@ensemble/kernel";

/** A stand-in service that mentions people, as chat will: each mention is a notification intent recorded in the outbox. */
export const memoModule: ModuleDefinition = defineModule({
  name: "memo",
  notificationKinds: [
    { kind: "memo.mention", defaults: { inApp: true, push: true, email: true } },
    { kind: "memo.digest_only", defaults: { inApp: false, push: false, email: true } },
  ],
  routes: (app, k) => {
    route(app, {
      method: "POST",
      url: "/api/memo/mentions",
      summary: "Mention people (test fixture)",
      auth: "user",
      response: z.object({ ok: z.boolean() }),
      body: z.object({
        userIds: z.array(z.string()).min(1),
        text: z.string(),
        kind: z.enum(["memo.mention", "memo.digest_only"]).default("memo.mention"),
        importance: z.enum(["low", "normal", "high"]).default("normal"),
      }),
      handler: async ({ actor, body }) => {
        await k.db.transaction().execute((tx) =>
          notify(tx, {
            recipients: body.userIds,
            kind: body.kind,
            actorId: actor.id,
            title: {
              key: "memo.mention.title",
              params: { who: actor.username },
              text: `${actor.username} vous a mentionné`,
            },
            body: { key: "memo.mention.body", params: { text: body.text }, text: body.text },
            link: `/memo/${encodeURIComponent(body.text)}`,
            importance: body.importance,
          }),
        );
        return { ok: true };
      },
    });
  },
});
