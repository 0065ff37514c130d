import webpush from "web-push";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { KernelTables } from "../db/tables.ts";
import type { NotificationTables } from "./notification-tables.ts";
import type { SafeFetcher } from "../net/safe-fetch.ts";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const KEY = "vapid";

/**
 * VAPID keys are made on first start and kept in the settings table, so
 * every node signs with the same key and browsers' subscriptions survive
 * restarts. Two nodes starting at once both try; the first insert wins and
 * both read it back.
 */
export async function ensureVapidKeys(db: Kysely<KernelTables>): Promise<VapidKeys> {
  const read = async () => {
    const row = await db.selectFrom("settings").select("value").where("key", "=", KEY).executeTakeFirst();
    return row ? (JSON.parse(row.value) as VapidKeys) : null;
  };
  const existing = await read();
  if (existing) return existing;
  const keys = webpush.generateVAPIDKeys();
  await db
    .insertInto("settings")
    .values({ key: KEY, value: JSON.stringify(keys), updated_at: new Date().toISOString() })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const stored = await read();
  if (!stored) throw new Error("VAPID keys could not be stored");
  return stored;
}

/** Where push services may reach the operator (RFC 8292 `sub`): the sender address, else the public URL. */
export function vapidSubject(config: Config): string {
  const addr =
    /<([^>]+)>/.exec(config.MAIL_FROM)?.[1] ?? (config.MAIL_FROM.includes("@") ? config.MAIL_FROM.trim() : null);
  return addr ? `mailto:${addr}` : config.publicUrl;
}

export interface PushMessage {
  payload: Record<string, unknown>;
  urgency: "very-low" | "low" | "normal" | "high";
  /** Replaces an undelivered message with the same topic at the push service. */
  topic?: string;
}

/**
 * Sends one encrypted message (RFC 8291, aes128gcm) with a VAPID signature
 * (RFC 8292) to each subscription of a user. web-push builds the request;
 * it is sent through the SafeFetcher, because the endpoint is a URL a
 * browser (so a user) supplied. Subscriptions the push service says are
 * gone (404/410) are deleted. Answers how many were accepted.
 */
export async function pushToUser(
  fetcher: SafeFetcher,
  db: Kysely<NotificationTables>,
  keys: VapidKeys,
  config: Config,
  log: Logger,
  userId: string,
  msg: PushMessage,
): Promise<number> {
  const subs = await db.selectFrom("push_subscriptions").selectAll().where("user_id", "=", userId).execute();
  let accepted = 0;
  for (const s of subs) {
    const details = webpush.generateRequestDetails(
      { endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } },
      JSON.stringify(msg.payload),
      {
        vapidDetails: { subject: vapidSubject(config), publicKey: keys.publicKey, privateKey: keys.privateKey },
        TTL: 86_400,
        urgency: msg.urgency,
        ...(msg.topic ? { topic: msg.topic } : {}),
      },
    );
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(details.headers))
      if (k.toLowerCase() !== "content-length") headers[k] = String(v);
    try {
      const res = await fetcher.fetch(details.endpoint, {
        method: "POST",
        headers,
        ...(details.body ? { body: details.body } : {}),
        maxRedirects: 0,
        maxBytes: 4_096,
        overflow: "truncate",
        timeoutMs: 10_000,
      });
      const ok = res.status >= 200 && res.status < 300;
      if (res.status === 404 || res.status === 410) {
        await db.deleteFrom("push_subscriptions").where("id", "=", s.id).execute();
      } else if (ok) {
        accepted += 1;
        await db
          .updateTable("push_subscriptions")
          .set({ last_used_at: new Date().toISOString() })
          .where("id", "=", s.id)
          .execute();
      } else {
        log.warn({ status: res.status, host: new URL(s.endpoint).host }, "push service refused a message");
      }
    } catch (e) {
      log.warn({ err: (e as Error).message, host: new URL(s.endpoint).host }, "push service unreachable");
    }
  }
  return accepted;
}
