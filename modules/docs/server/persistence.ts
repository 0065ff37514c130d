import * as Y from "yjs";
import { uuidv7 } from "@ensemble/protocol";
import type { DocsDb } from "./tables.ts";

/**
 * Where a document's Yjs state lives. Every update a client sends is appended
 * to `docs_updates` (in group commits) before the server acknowledges it; the
 * debounced store (and the last disconnect) writes the whole state to
 * `docs_states` and removes the updates it contains. Loading merges both, so
 * a node killed between two stores still serves every acknowledged change.
 */
export class DocumentStore {
  private readonly db: DocsDb;
  constructor(db: DocsDb) {
    this.db = db;
  }

  /** The stored state, or null for a document never edited. Throws when the database does: the caller serves nothing. */
  async load(docId: string): Promise<Uint8Array | null> {
    // The log first, then the state: a compaction committing between the two reads moved logged updates into
    // a state this read still sees. In the other order it would see the old state and no longer the updates.
    const updates = await this.db
      .selectFrom("docs_updates")
      .select("update")
      .where("doc_id", "=", docId)
      .orderBy("id")
      .execute();
    const state = await this.db
      .selectFrom("docs_states")
      .select("state")
      .where("doc_id", "=", docId)
      .executeTakeFirst();
    const parts = [...(state ? [state.state] : []), ...updates.map((u) => u.update)].map((b) => new Uint8Array(b));
    return parts.length === 0 ? null : Y.mergeUpdates(parts);
  }

  /**
   * Records updates of any documents in one transaction (a group commit of
   * the update log, see update-log.ts): all of them or none.
   */
  async appendMany(entries: readonly { docId: string; update: Uint8Array }[]): Promise<void> {
    const now = new Date().toISOString();
    const rows = entries.map((e) => ({ id: uuidv7(), doc_id: e.docId, update: e.update, created_at: now }));
    await this.db.transaction().execute(async (tx) => {
      // 4 parameters a row: 250 rows stay far below SQLite's and PostgreSQL's parameter limits.
      for (let i = 0; i < rows.length; i += 250)
        await tx
          .insertInto("docs_updates")
          .values(rows.slice(i, i + 250))
          .execute();
    });
  }

  /**
   * Writes the whole state and drops the logged updates it contains. An update
   * logged but not yet applied when the state was taken is not contained, so
   * it stays for the next store.
   */
  async compact(docId: string, doc: Y.Doc): Promise<void> {
    const state = Y.encodeStateAsUpdate(doc);
    const snapshot = Y.snapshot(doc);
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto("docs_states")
        .values({ doc_id: docId, state, updated_at: now })
        .onConflict((oc) => oc.column("doc_id").doUpdateSet({ state, updated_at: now }))
        .execute();
      const logged = await tx.selectFrom("docs_updates").select(["id", "update"]).where("doc_id", "=", docId).execute();
      const contained = logged
        .filter((u) => Y.snapshotContainsUpdate(snapshot, new Uint8Array(u.update)))
        .map((u) => u.id);
      for (let i = 0; i < contained.length; i += 500)
        await tx
          .deleteFrom("docs_updates")
          .where("id", "in", contained.slice(i, i + 500))
          .execute();
    });
  }
}
