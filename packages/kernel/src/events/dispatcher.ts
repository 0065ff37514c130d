import { sql, type Kysely, type Selectable } from "kysely";
import pg from "pg";
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { DbKind } from "../db/database.ts";
import type { EventTables } from "./event-tables.ts";
import { eventHandlerFailures, eventsDispatched } from "../realtime/realtime-metrics.ts";
import { eventFromRow, NOTIFY_PREFIX, onEventRecorded, type DomainEvent, type EventPayloads } from "./record-event.ts";

/**
 * A consumer of domain events (realtime fan-out, notifications, webhooks,
 * search indexer, audit log). Delivery is at least once: a handler must be
 * idempotent, and a retried event may arrive after later ones.
 */
export interface EventHandler<N extends string = string> {
  /** Stable, unique name (`realtime`, `notifications.inbox`): retry state is kept under it. */
  name: string;
  /** Event names it wants: exact (`chat.message.created`) or a prefix (`chat.*`). All when omitted. */
  events?: readonly N[];
  handle(event: DomainEvent<HandledPayload<N>>): Promise<void>;
}

/** An exact name gives its payload's type; a prefix (`chat.*`) or several names, unknown. */
type HandledPayload<N extends string> = N extends keyof EventPayloads ? EventPayloads[N] : unknown;

export const defineEventHandler = <N extends string>(h: EventHandler<N>): EventHandler<N> => h;

const CLAIM_MS = 60_000;
const HANDLER_TIMEOUT_MS = 20_000;
const BATCH = 100;
/** Claimed events whose handlers have not all finished: past this, the dispatcher waits before claiming more. */
const MAX_IN_FLIGHT = 1_000;
const SWEEP_MS = 1_000;
const MAX_BACKOFF_MS = 600_000;

const matches = (h: EventHandler, name: string) =>
  !h.events || h.events.some((e) => (e.endsWith(".*") ? name.startsWith(e.slice(0, -1)) : e === name));

/**
 * Delivers committed outbox events to the registered handlers. Any node may
 * dispatch: an event is claimed for a while (SKIP LOCKED on PostgreSQL) so
 * two nodes do not run it twice, and an unfinished claim is taken over after
 * it expires. At start it drains whatever a crashed process left behind.
 *
 * Each handler walks the claimed batches in claim order on its own lane, so
 * a slow one (outgoing webhooks, a database read per event) delays only
 * itself: the next batch is claimed and handed to the fast ones (realtime)
 * at once, and a batch is marked dispatched when every lane is past it.
 */
export class EventDispatcher {
  private readonly handlers = new Map<string, EventHandler>();
  private readonly db: Kysely<EventTables>;
  private readonly kind: DbKind;
  private readonly config: Config;
  private readonly log: Logger;
  private started = false;
  private running: Promise<void> | null = null;
  private again = false;
  /**
   * Events this process committed, claimed by id (primary-key lookups). The
   * general claim scans every pending row, the ones claimed and still in
   * flight included (up to MAX_IN_FLIGHT): once per send it was the costliest
   * statement under sustained posting (bench `chat`).
   */
  private readonly committed: string[] = [];
  /** The general claim runs at start, on the sweep, on NOTIFY and when a wake-up names no event. */
  private scanWanted = true;
  private sweep: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private listener: pg.Client | null = null;
  private unhook: (() => void) | null = null;
  /** Handler name → its lane's last batch. */
  private readonly lanes = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private inFlightEvents = 0;
  /** Ids waiting for the mark being written to finish, to be marked together (see markDispatched). */
  private markGroup: { ids: string[]; written: Promise<void> } | null = null;
  private markTail: Promise<void> = Promise.resolve();
  /** Failures due for a retry are looked for on the sweep and on a retry's timer, not on every wake-up. */
  private retryWanted = true;

  constructor(opts: { db: Kysely<EventTables>; kind: DbKind; config: Config; log: Logger }) {
    this.db = opts.db;
    this.kind = opts.kind;
    this.config = opts.config;
    this.log = opts.log.child({ component: "events" });
  }

  register<N extends string>(h: EventHandler<N>): void {
    if (this.handlers.has(h.name)) throw new Error(`event handler ${h.name} is registered twice`);
    this.handlers.set(h.name, h as unknown as EventHandler);
  }

  async start(): Promise<void> {
    if (this.started || !this.config.EVENT_DISPATCH) return;
    this.started = true;
    this.unhook = onEventRecorded((id) => {
      if (id) this.committed.push(id);
      else this.scanWanted = true;
      this.kick();
    });
    if (this.kind === "postgres" && this.config.DATABASE_URL) await this.listen(this.config.DATABASE_URL);
    this.sweep = setInterval(() => this.kick(true), SWEEP_MS);
    this.sweep.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.unhook?.();
    if (this.sweep) clearInterval(this.sweep);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.running;
    await Promise.allSettled([...this.inFlight]);
    await this.listener?.end().catch(() => {});
    this.listener = null;
  }

  /** Runs a dispatch pass now (coalesced with one in progress); `retries` also runs the failures that are due. */
  kick(retries = false): void {
    if (!this.started) return;
    if (retries) {
      this.retryWanted = true;
      this.scanWanted = true;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  private async listen(url: string): Promise<void> {
    const schema = this.config.DATABASE_SCHEMA ?? "public";
    const client = new pg.Client({ connectionString: url });
    client.on("error", (e) =>
      this.log.warn({ err: e.message }, "event listener connection lost; falling back to the periodic sweep"),
    );
    client.on("notification", () => {
      this.scanWanted = true;
      this.kick();
    });
    await client.connect();
    await client.query(`LISTEN "${NOTIFY_PREFIX}${schema}"`);
    this.listener = client;
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        while (this.started && this.committed.length) await this.dispatchBatch(this.committed.splice(0, BATCH));
        if (this.started && this.scanWanted) {
          this.scanWanted = false;
          while (this.started && (await this.dispatchBatch()) === BATCH);
        }
        if (this.started && this.retryWanted) {
          this.retryWanted = false;
          await this.retryDue();
        }
      } while (this.again && this.started);
    } catch (e) {
      this.log.error({ err: (e as Error).message }, "event dispatch pass failed; will retry");
    }
  }

  /** Claims and runs a batch: the given committed events, or the oldest pending ones. */
  private async dispatchBatch(ids?: string[]): Promise<number> {
    while (this.inFlightEvents >= MAX_IN_FLIGHT && this.inFlight.size) await Promise.race(this.inFlight);
    const now = new Date();
    const until = new Date(now.getTime() + CLAIM_MS).toISOString();
    let rows: Selectable<EventTables["events"]>[];
    if (ids) {
      rows = await this.db
        .updateTable("events")
        .set({ claimed_until: until })
        .where("id", "in", ids)
        .where("dispatched_at", "is", null)
        .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", now.toISOString())]))
        .returningAll()
        .execute();
    } else {
      let pending = this.db
        .selectFrom("events")
        .select("id")
        .where("dispatched_at", "is", null)
        .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", now.toISOString())]))
        .orderBy("id")
        .limit(BATCH);
      if (this.kind === "postgres") pending = pending.forUpdate().skipLocked();
      rows = await this.db
        .updateTable("events")
        .set({ claimed_until: until })
        .where("id", "in", pending)
        .returningAll()
        .execute();
    }
    rows.sort((a, b) => (a.id < b.id ? -1 : 1));
    if (!rows.length) return 0;
    const events = rows.map(eventFromRow);
    const lanes = [...this.handlers.values()].map((h) => {
      const mine = events.filter((e) => matches(h, e.name));
      if (!mine.length) return Promise.resolve();
      // After the lane's previous batch, whether it succeeded or not (its events stay claimed, see below).
      const lane = (this.lanes.get(h.name) ?? Promise.resolve()).then(
        () => this.runLane(h, mine),
        () => this.runLane(h, mine),
      );
      this.lanes.set(h.name, lane);
      return lane;
    });
    const done: Promise<void> = Promise.all(lanes)
      .then(async () => {
        await this.markDispatched(events.map((e) => e.id));
        eventsDispatched.inc(events.length);
      })
      // Not marked: the claim expires and the batch is delivered again (at least once).
      .catch((e: unknown) =>
        this.log.error({ err: (e as Error).message }, "event dispatch failed; the batch will be retried"),
      )
      .finally(() => {
        this.inFlight.delete(done);
        this.inFlightEvents -= events.length;
      });
    this.inFlight.add(done);
    this.inFlightEvents += events.length;
    return rows.length;
  }

  /**
   * Marks events dispatched, the batches that finish while an earlier mark is being written
   * in one statement: on SQLite every autocommit write is a commit, the costliest step of a
   * send under sustained posting (bench `chat`), and batches finish one after another there.
   * Resolves once these ids are marked; rejects if that write failed (they stay claimed and
   * are delivered again when the claim expires).
   */
  private markDispatched(ids: readonly string[]): Promise<void> {
    if (this.markGroup) {
      this.markGroup.ids.push(...ids);
      return this.markGroup.written;
    }
    const group = { ids: [...ids], written: Promise.resolve() };
    this.markGroup = group;
    group.written = this.markTail.then(async () => {
      // From here on, ids go to the next group.
      this.markGroup = null;
      await this.db
        .updateTable("events")
        .set({ dispatched_at: new Date().toISOString(), claimed_until: null })
        .where("id", "in", group.ids)
        .execute();
    });
    this.markTail = group.written.catch(() => {});
    return group.written;
  }

  /** One handler over its events of a batch, in order; a failure is recorded for retry (throws only if that fails). */
  private async runLane(h: EventHandler, events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) {
      try {
        await this.run(h, event);
      } catch (e) {
        await this.recordFailure(event.id, h.name, 0, e);
      }
    }
  }

  /** A handler that hangs counts as failed (and is retried) rather than stalling the pipeline. */
  private async run(h: EventHandler, event: DomainEvent): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`handler timed out after ${HANDLER_TIMEOUT_MS} ms`)),
        HANDLER_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([h.handle(event), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private backoff(attempts: number): number {
    return Math.min(this.config.EVENT_RETRY_BASE_MS * 2 ** (attempts - 1), MAX_BACKOFF_MS);
  }

  private async recordFailure(
    eventId: string,
    handler: string,
    previousAttempts: number,
    reason: unknown,
  ): Promise<void> {
    const attempts = previousAttempts + 1;
    const message = String(reason instanceof Error ? reason.message : reason).slice(0, 1000);
    const gaveUp = attempts >= this.config.EVENT_MAX_ATTEMPTS;
    eventHandlerFailures.inc({ handler });
    const delay = this.backoff(attempts);
    const values = {
      attempts,
      next_at: new Date(Date.now() + delay).toISOString(),
      last_error: message,
      gave_up_at: gaveUp ? new Date().toISOString() : null,
    };
    await this.db
      .insertInto("event_failures")
      .values({ event_id: eventId, handler, ...values })
      .onConflict((oc) => oc.columns(["event_id", "handler"]).doUpdateSet(values))
      .execute();
    if (gaveUp) this.log.error({ eventId, handler, attempts, error: message }, "event handler gave up");
    else {
      this.log.warn(
        { eventId, handler, attempts, retryInMs: delay, error: message },
        "event handler failed; will retry",
      );
      this.scheduleRetry(delay);
    }
  }

  private scheduleRetry(delay: number): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.kick(true), Math.min(delay, SWEEP_MS) + 5);
    this.retryTimer.unref();
  }

  private async retryDue(): Promise<void> {
    const now = new Date().toISOString();
    const due = await this.db
      .selectFrom("event_failures")
      .selectAll()
      .where("gave_up_at", "is", null)
      .where("next_at", "<=", now)
      .where("handler", "in", [...this.handlers.keys(), ""])
      .orderBy("next_at")
      .limit(BATCH)
      .execute();
    for (const f of due) {
      if (!this.started) return;
      // Optimistic claim: only the node that moves next_at first runs the retry.
      const claimed = await this.db
        .updateTable("event_failures")
        .set({ next_at: new Date(Date.now() + CLAIM_MS).toISOString() })
        .where("event_id", "=", f.event_id)
        .where("handler", "=", f.handler)
        .where("next_at", "=", f.next_at)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue;
      const handler = this.handlers.get(f.handler);
      const row = await this.db.selectFrom("events").selectAll().where("id", "=", f.event_id).executeTakeFirst();
      if (!handler || !row) {
        await this.db
          .deleteFrom("event_failures")
          .where("event_id", "=", f.event_id)
          .where("handler", "=", f.handler)
          .execute();
        continue;
      }
      try {
        await this.run(handler, eventFromRow(row));
        await this.db
          .deleteFrom("event_failures")
          .where("event_id", "=", f.event_id)
          .where("handler", "=", f.handler)
          .execute();
      } catch (e) {
        await this.recordFailure(f.event_id, f.handler, f.attempts, e);
      }
    }
  }

  /** Deletes events and topic logs older than the retention window (failures still pending are kept). */
  async prune(): Promise<void> {
    const cutoff = new Date(Date.now() - this.config.EVENT_RETENTION_HOURS * 3_600_000).toISOString();
    await this.db.deleteFrom("topic_events").where("created_at", "<", cutoff).execute();
    await this.db
      .deleteFrom("events")
      .where("created_at", "<", cutoff)
      .where("dispatched_at", "is not", null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("event_failures")
              .select(sql.lit(1).as("x"))
              .whereRef("event_failures.event_id", "=", "events.id")
              .where("gave_up_at", "is", null),
          ),
        ),
      )
      .execute();
    await this.db.deleteFrom("event_failures").where("gave_up_at", "<", cutoff).execute();
  }
}
