import { sql, type Kysely } from "kysely";

const ts = "text";

/** Outbox, per-topic sequence counters and log, handler retry state, cluster leases. */
export async function eventsMigration(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("events")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("name", ts, (c) => c.notNull())
    .addColumn("actor_id", ts)
    .addColumn("resources", ts, (c) => c.notNull())
    .addColumn("payload", ts, (c) => c.notNull())
    .addColumn("topics", ts, (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("dispatched_at", ts)
    .addColumn("claimed_until", ts)
    .execute();
  await db.schema.createIndex("events_pending").on("events").columns(["dispatched_at", "id"]).execute();
  await db.schema.createIndex("events_created").on("events").column("created_at").execute();

  await db.schema
    .createTable("topic_seqs")
    .addColumn("topic", ts, (c) => c.primaryKey())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("topic_events")
    .addColumn("topic", ts, (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("event_id", ts, (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("topic_events_pk", ["topic", "seq"])
    .execute();
  await db.schema.createIndex("topic_events_created").on("topic_events").column("created_at").execute();

  await db.schema
    .createTable("event_failures")
    .addColumn("event_id", ts, (c) => c.notNull())
    .addColumn("handler", ts, (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("next_at", ts, (c) => c.notNull())
    .addColumn("last_error", ts, (c) => c.notNull())
    .addColumn("gave_up_at", ts)
    .addPrimaryKeyConstraint("event_failures_pk", ["event_id", "handler"])
    .execute();
  await db.schema.createIndex("event_failures_due").on("event_failures").columns(["gave_up_at", "next_at"]).execute();

  await db.schema
    .createTable("leases")
    .addColumn("name", ts, (c) => c.primaryKey())
    .addColumn("holder", ts, (c) => c.notNull())
    .addColumn("expires_at", ts, (c) => c.notNull())
    .execute();
}

/** `events.source`: which content an event's payload copies, looked up when that content is deleted or edited. */
export async function eventSourcesMigration(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("events").addColumn("source", ts).execute();
  await db.schema
    .createIndex("events_source")
    .on("events")
    .column("source")
    .where(sql.ref("source"), "is not", null)
    .execute();
}
