import { PostgresAdapter, sql, type Kysely, type QueryExecutor } from "kysely";
import { uuidv7 } from "@ensemble/protocol";
import type { EventTables } from "./event-tables.ts";
import { afterCommit } from "../db/commit-hooks.ts";
import { checkEvent, EVENT_NAME_RE } from "./define-event.ts";
import type { KernelEventPayloads } from "./kernel-events.ts";

/**
 * Payload types by event name, derived from the `defineEvent` definitions.
 * Modules merge theirs in:
 *   declare module "@ensemble/kernel" { interface EventPayloads extends PayloadsOf<typeof chatEvents> {} }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EventPayloads extends KernelEventPayloads {}

/** A name without a definition takes no payload at all: a misspelt name does not compile. */
export type PayloadOf<N extends string> = N extends keyof EventPayloads ? EventPayloads[N] : never;

export interface NewEvent<N extends string = string> {
  /** `module.resource.verb`, e.g. `chat.message.created`. */
  name: N;
  /** The user who caused it (null for the system). */
  actorId: string | null;
  /** The resources it concerns, kind → id: `{ room: "…", message: "…" }`. */
  resources?: Record<string, string>;
  payload: PayloadOf<N>;
  /** Realtime audience: topics whose subscribers receive it (`room:…`, `user:…`). */
  topics?: readonly string[];
  /** The content its payload copies (`chat.message:<id>`): redacted with it (`redactEvents`). */
  source?: string;
}

/** A recorded event, as handlers receive it. */
export interface DomainEvent<P = unknown> {
  id: string;
  name: string;
  actorId: string | null;
  resources: Record<string, string>;
  payload: P;
  topics: { topic: string; seq: number }[];
  createdAt: string;
}

/** Any Kysely instance or transaction, whatever its table types. */
export interface TransactionLike {
  getExecutor(): QueryExecutor;
}

export const NOTIFY_PREFIX = "ensemble_events_";

/** Called with the id of an event this process just committed, or with none when what was recorded is unknown. */
type Wakeup = (eventId?: string) => void;
const wakeups = new Set<Wakeup>();
/** The dispatcher of this process asks to be woken when an event is recorded. */
export function onEventRecorded(fn: Wakeup): () => void {
  wakeups.add(fn);
  return () => wakeups.delete(fn);
}

/**
 * Records an event in the caller's transaction (the outbox): it exists if and
 * only if the change commits. Each audience topic gets its next sequence
 * number here; the counter row is updated with an upsert, so concurrent
 * writers on PostgreSQL serialize on that row until commit and numbers are
 * gapless in commit order.
 *
 * The dispatcher of this process is woken right after the commit (commit
 * hook). A NOTIFY, which wakes the dispatchers of every node, is sent only
 * when this process has none running: on PostgreSQL the commits of all
 * transactions that NOTIFY are serialised on one database-wide lock, held
 * across the WAL flush (bench `chat`); other nodes' dispatchers still sweep.
 */
export async function recordEvent<N extends string>(
  tx: TransactionLike,
  e: NewEvent<N>,
): Promise<DomainEvent<PayloadOf<N>>> {
  if (!EVENT_NAME_RE.test(e.name)) throw new Error(`event name must be module.resource.verb, got ${e.name}`);
  checkEvent(e.name, e.payload);
  const db = tx as unknown as Kysely<EventTables>;
  const id = uuidv7();
  const createdAt = new Date().toISOString();
  const resources = e.resources ?? {};
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // Sorted so that two transactions touching the same topics lock them in the same order (no deadlock).
  const names = [...new Set(e.topics ?? [])].sort();
  const woken = wakeups.size > 0 && (await afterCommit(tx, () => wakeAll(id)));
  const row = {
    id,
    name: e.name,
    actor_id: e.actorId,
    resources: JSON.stringify(resources),
    payload: JSON.stringify(e.payload ?? null),
    created_at: createdAt,
    source: e.source ?? null,
    dispatched_at: null,
    claimed_until: null,
  };
  let topics: { topic: string; seq: number }[];
  if (postgres) {
    topics = await recordPostgres(db, row, names, !woken);
  } else {
    topics = [];
    for (const topic of names) {
      const r = await db
        .insertInto("topic_seqs")
        .values({ topic, seq: 1 })
        .onConflict((oc) => oc.column("topic").doUpdateSet((eb) => ({ seq: eb("topic_seqs.seq", "+", 1) })))
        .returning("seq")
        .executeTakeFirstOrThrow();
      const seq = Number(r.seq);
      topics.push({ topic, seq });
      await db.insertInto("topic_events").values({ topic, seq, event_id: id, created_at: createdAt }).execute();
    }
    await db
      .insertInto("events")
      .values({ ...row, topics: JSON.stringify(topics) })
      .execute();
  }
  // Not in a transaction with a commit hook: the row is visible now, or at a commit we cannot see (the sweep and NOTIFY cover it).
  if (!woken) wakeAll();
  return { id, name: e.name, actorId: e.actorId, resources, payload: e.payload, topics, createdAt };
}

function wakeAll(eventId?: string): void {
  for (const w of wakeups) setImmediate(w, eventId);
}

/**
 * PostgreSQL, one round trip: the topics' counters (one multi-row upsert, so
 * their row locks, held until commit, are taken in the sorted order), their
 * log rows and the event row with its topics, and the NOTIFY when asked.
 */
async function recordPostgres(
  db: Kysely<EventTables>,
  row: Omit<EventTables["events"], "topics">,
  names: readonly string[],
  notify: boolean,
): Promise<{ topic: string; seq: number }[]> {
  const n = notify ? sql`, pg_notify(${sql.lit(NOTIFY_PREFIX)} || current_schema(), '')` : sql``;
  if (!names.length) {
    await sql`with e as (${db
      .insertInto("events")
      .values({ ...row, topics: "[]" })
      .returning("id")}) select e.id${n} from e`.execute(db);
    return [];
  }
  const counters = sql.join(names.map((t) => sql`(${t}, 1)`));
  const r = await sql<{ topics: string }>`with s as (
      insert into topic_seqs (topic, seq) values ${counters}
      on conflict (topic) do update set seq = topic_seqs.seq + 1
      returning topic, seq),
    l as (insert into topic_events (topic, seq, event_id, created_at) select topic, seq, ${row.id}, ${row.created_at} from s),
    e as (insert into events (id, name, actor_id, resources, payload, topics, created_at, source, dispatched_at, claimed_until)
      select ${row.id}, ${row.name}, ${row.actor_id}, ${row.resources}, ${row.payload},
        json_agg(json_build_object('topic', topic, 'seq', seq) order by topic collate "C")::text, ${row.created_at}, ${row.source}, null, null
      from s
      returning topics)
    select e.topics${n} from e`.execute(db);
  const topics = JSON.parse(r.rows[0]?.topics ?? "null") as { topic: string; seq: number }[] | null;
  if (!topics || topics.length !== names.length) throw new Error(`no sequence for topics ${names.join(", ")}`);
  return topics.map((t) => ({ topic: t.topic, seq: Number(t.seq) }));
}

export function eventFromRow(r: EventTables["events"]): DomainEvent {
  return {
    id: r.id,
    name: r.name,
    actorId: r.actor_id,
    resources: JSON.parse(r.resources) as Record<string, string>,
    payload: JSON.parse(r.payload) as unknown,
    topics: JSON.parse(r.topics) as { topic: string; seq: number }[],
    createdAt: r.created_at,
  };
}
