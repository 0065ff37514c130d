import { PostgresAdapter, sql, type Kysely, type QueryExecutor } from "kysely";
import { uuidv7 } from "@ensemble/protocol";
import type { EventTables } from "./event-tables.ts";

/**
 * Payload types by event name. Modules add theirs by declaration merging:
 *   declare module "@ensemble/kernel" { interface EventPayloads { "chat.message.created": {...} } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EventPayloads {}

export type PayloadOf<N extends string> = N extends keyof EventPayloads ? EventPayloads[N] : unknown;

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
const NAME_RE = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

type Wakeup = () => void;
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
 */
export async function recordEvent<N extends string>(tx: TransactionLike, e: NewEvent<N>): Promise<DomainEvent<PayloadOf<N>>> {
  if (!NAME_RE.test(e.name)) throw new Error(`event name must be module.resource.verb, got ${e.name}`);
  const db = tx as unknown as Kysely<EventTables>;
  const id = uuidv7();
  const createdAt = new Date().toISOString();
  const topics: { topic: string; seq: number }[] = [];
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // Sorted so that two transactions touching the same topics lock them in the same order (no deadlock).
  for (const topic of [...new Set(e.topics ?? [])].sort()) {
    if (postgres) {
      // One round trip: the upsert (which holds the counter row's lock until commit, as below) feeds the topic_events row.
      const r = await sql<{ seq: number | string }>`with s as (
          insert into topic_seqs (topic, seq) values (${topic}, 1)
          on conflict (topic) do update set seq = topic_seqs.seq + 1
          returning seq)
        insert into topic_events (topic, seq, event_id, created_at) select ${topic}, s.seq, ${id}, ${createdAt} from s returning seq`.execute(db);
      const seq = Number(r.rows[0]?.seq);
      if (!Number.isFinite(seq)) throw new Error(`no sequence for topic ${topic}`);
      topics.push({ topic, seq });
      continue;
    }
    const row = await db
      .insertInto("topic_seqs")
      .values({ topic, seq: 1 })
      .onConflict((oc) => oc.column("topic").doUpdateSet((eb) => ({ seq: eb("topic_seqs.seq", "+", 1) })))
      .returning("seq")
      .executeTakeFirstOrThrow();
    const seq = Number(row.seq);
    topics.push({ topic, seq });
    await db.insertInto("topic_events").values({ topic, seq, event_id: id, created_at: createdAt }).execute();
  }
  const resources = e.resources ?? {};
  const insertEvent = db
    .insertInto("events")
    .values({
      id,
      name: e.name,
      actor_id: e.actorId,
      resources: JSON.stringify(resources),
      payload: JSON.stringify(e.payload ?? null),
      topics: JSON.stringify(topics),
      created_at: createdAt,
      dispatched_at: null,
      claimed_until: null,
    });
  // PostgreSQL delivers a NOTIFY only at commit, to every node: their dispatchers wake then (sent with the insert, one round trip).
  if (postgres) {
    await sql`with e as (${insertEvent.returning("id")}) select pg_notify(${sql.lit(NOTIFY_PREFIX)} || current_schema(), '') from e`.execute(db);
  } else {
    await insertEvent.execute();
  }
  // Woken early here; on SQLite the dispatcher's read waits for the single connection, so after commit.
  for (const w of wakeups) setImmediate(w);
  return { id, name: e.name, actorId: e.actorId, resources, payload: e.payload, topics, createdAt };
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
