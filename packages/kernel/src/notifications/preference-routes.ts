import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { uuidv7 } from "@ensemble/protocol";
import type { Kernel } from "../kernel.ts";
import { noContent, route } from "../http/route.ts";
import { AppError } from "../errors.ts";
import { channelsFor, loadPrefs, savePrefs } from "./preferences.ts";
import { prefsPatchSchema, type StoredPrefs } from "./notification-types.ts";
import {
  notificationPreferencesSchema,
  pushSubscriptionSchema,
  vapidKeySchema,
  type NotificationPreferences,
} from "@ensemble/protocol/wire/notifications";

const b64url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, "base64url");
const subscriptionBody = z.object({
  endpoint: z.url().max(2048),
  keys: z.object({ p256dh: b64url.min(80).max(100), auth: b64url.min(16).max(32) }),
  expirationTime: z.number().nullable().optional(),
});
const endpointQuery = z.object({ endpoint: z.url().max(2048) });
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
const MAX_SUBSCRIPTIONS = 20;

/** Preferences per kind (in-app, push, e-mail), digest delay, do-not-disturb; Web Push subscriptions. */
export function preferenceRoutes(app: FastifyInstance, k: Kernel): void {
  const db = k.notifications.db;

  const present = async (userId: string, prefs: StoredPrefs): Promise<NotificationPreferences> => {
    const user = await db.selectFrom("users").select("time_zone").where("id", "=", userId).executeTakeFirst();
    const kinds = [...new Set([...k.notifications.kinds.keys(), ...Object.keys(prefs.kinds)])].sort();
    return {
      kinds: kinds.map((kind) => ({ kind, ...channelsFor(prefs, kind, k.notifications.kinds) })),
      emailDelayMinutes: prefs.emailDelayMinutes,
      dnd: prefs.dnd,
      timeZone: user?.time_zone ?? "Europe/Paris",
    };
  };

  route(app, {
    method: "GET",
    url: "/api/me/notification-preferences",
    summary:
      "My notification preferences (per kind: in-app, push, e-mail; digest delay; do-not-disturb in my time zone)",
    tags: ["notifications"],
    auth: "user",
    response: notificationPreferencesSchema,
    handler: async ({ actor }) => present(actor.id, await loadPrefs(db, actor.id)),
  });

  route(app, {
    method: "PATCH",
    url: "/api/me/notification-preferences",
    summary: "Change my notification preferences (only the fields sent)",
    tags: ["notifications"],
    auth: "user",
    response: notificationPreferencesSchema,
    body: prefsPatchSchema,
    handler: async ({ actor, body }) => {
      const unknown = Object.keys(body.kinds ?? {}).filter((kind) => !k.notifications.kinds.has(kind));
      if (unknown.length) throw new AppError("validation", `unknown notification kind: ${unknown.join(", ")}`);
      const current = await loadPrefs(db, actor.id);
      const kinds = { ...current.kinds };
      for (const [kind, ch] of Object.entries(body.kinds ?? {})) kinds[kind] = { ...kinds[kind], ...ch };
      const next: StoredPrefs = {
        kinds,
        emailDelayMinutes: body.emailDelayMinutes ?? current.emailDelayMinutes,
        dnd: { ...current.dnd, ...body.dnd },
      };
      await savePrefs(db, actor.id, next);
      return present(actor.id, next);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/push/vapid-public-key",
    summary: "The server's VAPID public key, for PushManager.subscribe({ applicationServerKey })",
    tags: ["notifications"],
    auth: "none",
    response: vapidKeySchema,
    handler: async () => ({ publicKey: (await k.notifications.vapidKeys()).publicKey }),
  });

  route(app, {
    method: "POST",
    url: "/api/me/push-subscriptions",
    summary: "Register this browser's Web Push subscription (PushSubscription.toJSON())",
    tags: ["notifications"],
    auth: "user",
    response: pushSubscriptionSchema,
    status: 201,
    body: subscriptionBody,
    handler: async ({ actor, body, req }) => {
      const url = new URL(body.endpoint);
      // Push services are HTTPS; plain HTTP only to loopback when the operator allows it (tests, labs).
      if (
        url.protocol !== "https:" &&
        !(k.config.PUSH_ALLOW_HTTP_ENDPOINTS && url.protocol === "http:" && LOOPBACK.has(url.hostname))
      ) {
        throw new AppError("validation", "a push endpoint must be an https:// URL");
      }
      const ua = req.headers["user-agent"];
      const now = new Date().toISOString();
      const id = await db.transaction().execute(async (tx) => {
        const existing = await tx
          .selectFrom("push_subscriptions")
          .select(["id", "user_id"])
          .where("endpoint", "=", body.endpoint)
          .executeTakeFirst();
        // An endpoint belongs to one browser: re-subscribing as someone else moves it to them.
        if (existing) {
          await tx
            .updateTable("push_subscriptions")
            .set({ user_id: actor.id, p256dh: body.keys.p256dh, auth: body.keys.auth })
            .where("id", "=", existing.id)
            .execute();
          return existing.id;
        }
        const n = await tx
          .selectFrom("push_subscriptions")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("user_id", "=", actor.id)
          .executeTakeFirstOrThrow();
        if (Number(n.n) >= MAX_SUBSCRIPTIONS)
          throw new AppError("conflict", `at most ${MAX_SUBSCRIPTIONS} push subscriptions per user`);
        const newId = uuidv7();
        await tx
          .insertInto("push_subscriptions")
          .values({
            id: newId,
            user_id: actor.id,
            endpoint: body.endpoint,
            p256dh: body.keys.p256dh,
            auth: body.keys.auth,
            user_agent: typeof ua === "string" ? ua.slice(0, 300) : "",
            created_at: now,
            last_used_at: null,
          })
          .execute();
        return newId;
      });
      return { id };
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/me/push-subscriptions",
    summary: "Forget a Web Push subscription of mine (?endpoint=)",
    tags: ["notifications"],
    auth: "user",
    response: noContent,
    query: endpointQuery,
    handler: async ({ actor, query }) => {
      const r = await db
        .deleteFrom("push_subscriptions")
        .where("endpoint", "=", query.endpoint)
        .where("user_id", "=", actor.id)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) !== 1) throw new AppError("not_found", "push subscription not found");
      return undefined;
    },
  });
}
