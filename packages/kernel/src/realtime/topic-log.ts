import type { Kysely } from "kysely";
import type { WireEvent } from "@ensemble/protocol";
import type { EventTables } from "../events/event-tables.ts";
import type { DomainEvent } from "../events/record-event.ts";

export const toWire = (e: DomainEvent): WireEvent => ({
  id: e.id,
  name: e.name,
  actorId: e.actorId,
  resources: e.resources,
  payload: e.payload,
  createdAt: e.createdAt,
});

/** Reads the retained per-topic log: what a resuming client missed. */
export class TopicLog {
  private readonly db: Kysely<EventTables>;
  constructor(db: Kysely<EventTables>) {
    this.db = db;
  }

  async current(topic: string): Promise<number> {
    const r = await this.db.selectFrom("topic_seqs").select("seq").where("topic", "=", topic).executeTakeFirst();
    return r ? Number(r.seq) : 0;
  }

  /**
   * What a subscriber resuming from `since` missed, up to the topic's current
   * seq. `missed` is null when it cannot be served (pruned, too many, a
   * `since` from the future, or events older than `from`, what the
   * subscriber may be replayed): the client must refetch.
   */
  async catchUp(
    topic: string,
    since: number | undefined,
    max: number,
    from: string | null = null,
  ): Promise<{ current: number; missed: { seq: number; event: WireEvent }[] | null }> {
    const current = await this.current(topic);
    if (since === undefined || since === current) return { current, missed: [] };
    if (since > current || current - since > max) return { current, missed: null };
    const rows = await this.range(topic, since, current);
    if (from !== null && rows.some((r) => r.event.createdAt < from)) return { current, missed: null };
    return { current, missed: contiguous(rows, since, current) ? rows : null };
  }

  /** Events with after < seq <= upTo, in order. A missing one (pruned) shows up as a gap in the answer. */
  async range(topic: string, after: number, upTo: number): Promise<{ seq: number; event: WireEvent }[]> {
    const rows = await this.db
      .selectFrom("topic_events")
      .innerJoin("events", "events.id", "topic_events.event_id")
      .select([
        "topic_events.seq",
        "events.id",
        "events.name",
        "events.actor_id",
        "events.resources",
        "events.payload",
        "events.created_at",
      ])
      .where("topic_events.topic", "=", topic)
      .where("topic_events.seq", ">", after)
      .where("topic_events.seq", "<=", upTo)
      .orderBy("topic_events.seq")
      .execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      event: {
        id: r.id,
        name: r.name,
        actorId: r.actor_id,
        resources: JSON.parse(r.resources) as Record<string, string>,
        payload: JSON.parse(r.payload) as unknown,
        createdAt: r.created_at,
      },
    }));
  }
}

/** True when `rows` is exactly after+1 … upTo with no hole. */
export const contiguous = (rows: { seq: number }[], after: number, upTo: number): boolean =>
  rows.length === upTo - after && rows.every((r, i) => r.seq === after + 1 + i);
