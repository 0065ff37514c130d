import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { uuidv7 } from "@ensemble/protocol";
import type { Config } from "../config.ts";
import type { KernelTables } from "../db/tables.ts";
import type { Mailer } from "../mailer.ts";
import { recordEvent } from "../events/record-event.ts";
import type { NotificationIntent, NotificationKind } from "./notification-types.ts";
import type { NotificationTables, NotificationsTable } from "./notification-tables.ts";
import { channelsFor, inDoNotDisturb, loadPrefs } from "./preferences.ts";
import { ensureVapidKeys, pushToUser, type VapidKeys } from "./push-sender.ts";
import { presentNotification, unreadCount } from "./notification-presenter.ts";
import { safeFetcherFromConfig, type SafeFetcher } from "../net/safe-fetch.ts";

type Db = Kysely<KernelTables & NotificationTables>;

/**
 * Turns intents into what each recipient asked for: a row in the
 * notification centre (and a live event on `user:<id>`), a Web Push unless
 * do-not-disturb is on or a push went out within the burst window, and a
 * flag the e-mail digest picks up if it stays unread.
 */
export class NotificationService {
  readonly db: Db;
  readonly config: Config;
  readonly log: Logger;
  readonly mailer: Mailer;
  private readonly kindDefs = new Map<string, NotificationKind>();
  private vapid: VapidKeys | null = null;
  /** Push endpoints are user-supplied URLs: reached only through the SSRF policy (OUTBOUND_ALLOW). */
  private readonly fetcher: SafeFetcher;

  constructor(o: { db: Kysely<KernelTables>; config: Config; log: Logger; mailer: Mailer }) {
    this.db = o.db.withTables<NotificationTables>() as Db;
    this.config = o.config;
    this.log = o.log.child({ component: "notifications" });
    this.mailer = o.mailer;
    this.fetcher = safeFetcherFromConfig(o.config);
  }

  defineKind(k: NotificationKind): void {
    this.kindDefs.set(k.kind, k);
  }

  get kinds(): ReadonlyMap<string, NotificationKind> {
    return this.kindDefs;
  }

  async vapidKeys(): Promise<VapidKeys> {
    this.vapid ??= await ensureVapidKeys(this.db);
    return this.vapid;
  }

  /**
   * Delivers an intent now (from an event handler). Idempotent per
   * recipient and `key`: a redelivered event notifies nobody twice.
   */
  async send(intent: NotificationIntent & { key: string }): Promise<void> {
    const recipients = [...new Set(intent.recipients)].filter((id) => id !== intent.actorId);
    for (const userId of recipients) await this.deliverTo(userId, intent);
  }

  private async deliverTo(userId: string, intent: NotificationIntent & { key: string }): Promise<void> {
    const user = await this.db
      .selectFrom("users")
      .select(["id", "time_zone"])
      .where("id", "=", userId)
      .where("deactivated", "=", 0)
      .executeTakeFirst();
    if (!user) return;
    const prefs = await loadPrefs(this.db, userId);
    const ch = channelsFor(prefs, intent.kind, this.kindDefs);
    if (!ch.inApp && !ch.push && !ch.email) return;
    const row: NotificationsTable = {
      id: uuidv7(),
      user_id: userId,
      kind: intent.kind,
      actor_id: intent.actorId,
      title: JSON.stringify(intent.title),
      body: intent.body ? JSON.stringify(intent.body) : null,
      link: intent.link ?? null,
      importance: intent.importance ?? "normal",
      data: JSON.stringify(intent.data ?? {}),
      source_key: intent.key,
      in_app: ch.inApp ? 1 : 0,
      email: ch.email ? 1 : 0,
      push_state: "pending",
      created_at: new Date().toISOString(),
      read_at: null,
      emailed_at: null,
    };
    const inserted = await this.db.transaction().execute(async (tx) => {
      const r = await tx
        .insertInto("notifications")
        .values(row)
        .onConflict((oc) => oc.columns(["user_id", "source_key"]).doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
      if (ch.inApp) {
        await recordEvent(tx, {
          name: "notifications.notification.created",
          actorId: intent.actorId,
          resources: { notification: row.id, user: userId },
          payload: { notification: presentNotification(row), unreadCount: await unreadCount(tx, userId) },
          topics: [`user:${userId}`],
          source: intent.key,
        });
      }
      return true;
    });
    if (!inserted) return;
    const quiet = intent.quiet?.includes(userId) === true || inDoNotDisturb(prefs, user.time_zone);
    const state = !ch.push
      ? "off"
      : quiet
        ? "dnd"
        : (await this.claimPushSlot(userId))
          ? await this.push(row, intent)
          : "coalesced";
    await this.db.updateTable("notifications").set({ push_state: state }).where("id", "=", row.id).execute();
  }

  /** At most one push per burst: taken only if no push went out within the window (atomic, any node). */
  private async claimPushSlot(userId: string): Promise<boolean> {
    const now = new Date();
    const since = new Date(now.getTime() - this.config.NOTIFY_PUSH_COALESCE_MS).toISOString();
    await this.db
      .insertInto("notification_prefs")
      .values({ user_id: userId, prefs: "{}", last_push_at: null, updated_at: now.toISOString() })
      .onConflict((oc) => oc.column("user_id").doNothing())
      .execute();
    const r = await this.db
      .updateTable("notification_prefs")
      .set({ last_push_at: now.toISOString() })
      .where("user_id", "=", userId)
      .where((eb) => eb.or([eb("last_push_at", "is", null), eb("last_push_at", "<=", since)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  private async push(row: NotificationsTable, intent: NotificationIntent): Promise<string> {
    const subs = await this.db
      .selectFrom("push_subscriptions")
      .select("id")
      .where("user_id", "=", row.user_id)
      .limit(1)
      .execute();
    if (!subs.length) return "none";
    const importance = row.importance;
    const sent = await pushToUser(this.fetcher, this.db, await this.vapidKeys(), this.config, this.log, row.user_id, {
      payload: {
        id: row.id,
        kind: row.kind,
        title: intent.title.text,
        body: intent.body?.text ?? "",
        link: row.link,
        importance,
        unreadCount: await unreadCount(this.db, row.user_id),
      },
      urgency: importance === "high" ? "high" : importance === "low" ? "low" : "normal",
      topic: "notifications",
    });
    return sent > 0 ? "sent" : "failed";
  }
}
