import type { DocumentStore } from "./persistence.ts";

interface Pending {
  docId: string;
  update: Uint8Array;
  committed: () => void;
  failed: (err: unknown) => void;
}

/**
 * The durable log of co-editing updates, written in group commits: updates
 * appended while a commit is under way (from any document) go together in the
 * next one. Nobody waits on it to see an update — editors receive it as soon
 * as it is applied in memory — only its acknowledgement to its sender does
 * (see DurableAcks), so one slow commit delays confirmations, never typing.
 * Under load a batch grows with the commit's duration instead of updates
 * queueing one transaction each behind the database's single writer.
 */
export class UpdateLog {
  private readonly store: DocumentStore;
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;

  constructor(store: DocumentStore) {
    this.store = store;
  }

  /** Settles when the update is committed (rejects if its batch is not). */
  append(docId: string, update: Uint8Array): Promise<void> {
    return new Promise((committed, failed) => {
      this.pending.push({ docId, update, committed, failed });
      this.flushing ??= this.flush();
    });
  }

  /** Settles once everything appended so far is committed or has failed. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    // One turn of the event loop: the other messages read from the sockets in this turn join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.store.appendMany(batch);
        for (const p of batch) p.committed();
      } catch (err) {
        for (const p of batch) p.failed(err);
      }
    }
    this.flushing = null;
  }
}
