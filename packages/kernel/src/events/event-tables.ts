/** Tables of the event pipeline (outbox, per-topic log, delivery state, leases). */
export interface EventsTable {
  id: string;
  name: string;
  actor_id: string | null;
  /** JSON object: resource kind → id. */
  resources: string;
  /** JSON: the event's payload. */
  payload: string;
  /** JSON array of { topic, seq }: the audience and each topic's sequence number. */
  topics: string;
  created_at: string;
  /**
   * What the payload copies content from (`chat.message:<id>`), so that a
   * delete or an edit there can redact it here (`redactEvents`).
   */
  source: string | null;
  /** Set once every handler ran (or had its failure recorded for retry). */
  dispatched_at: string | null;
  /** A dispatcher holds the event until then; another node may take it after. */
  claimed_until: string | null;
}

export interface TopicSeqsTable {
  topic: string;
  seq: number;
}

export interface TopicEventsTable {
  topic: string;
  seq: number;
  event_id: string;
  created_at: string;
}

export interface EventFailuresTable {
  event_id: string;
  handler: string;
  attempts: number;
  next_at: string;
  last_error: string;
  gave_up_at: string | null;
}

export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: string;
}

// A type alias (not an interface) so that Kysely's withTables<T>() accepts it.
export type EventTables = {
  events: EventsTable;
  topic_seqs: TopicSeqsTable;
  topic_events: TopicEventsTable;
  event_failures: EventFailuresTable;
  leases: LeasesTable;
};
