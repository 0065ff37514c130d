import * as Y from "yjs";
import { uuidv7 } from "@ensemble/protocol";
import type { DocumentVersion } from "../shared/history.ts";
import { toMarkdown } from "./export.ts";
import type { DocsDb, DocsVersionsTable } from "./tables.ts";

/** Automatic versions kept per document (named ones and those kept before a restore are not counted). */
const AUTO_KEPT = 100;

export type VersionRow = Omit<DocsVersionsTable, "state"> & { author_name: string | null };

/** A Yjs document from a whole stored state. */
export function docFromState(state: Uint8Array | null): Y.Doc {
  const doc = new Y.Doc();
  if (state) Y.applyUpdate(doc, state);
  return doc;
}

export const presentVersion = (v: VersionRow): DocumentVersion => ({
  id: v.id,
  kind: v.kind,
  name: v.name,
  createdAt: v.created_at,
  author: v.author_id ? { id: v.author_id, displayName: v.author_name ?? "" } : null,
});

/**
 * A document's history: whole Yjs states (not Yjs snapshots, which need the
 * document's garbage collection off). Kept by name, on the schedule while
 * people edit, and just before a restore replaces the text.
 */
export class VersionStore {
  private readonly db: DocsDb;
  constructor(db: DocsDb) {
    this.db = db;
  }

  private rows() {
    return this.db
      .selectFrom("docs_versions as v")
      .leftJoin("users as u", "u.id", "v.author_id")
      .select(["v.id", "v.doc_id", "v.kind", "v.name", "v.author_id", "v.created_at", "u.display_name as author_name"]);
  }

  /** Newest first. */
  async list(docId: string, limit = 200): Promise<VersionRow[]> {
    return this.rows().where("v.doc_id", "=", docId).orderBy("v.id", "desc").limit(limit).execute();
  }

  async find(docId: string, id: string): Promise<VersionRow | undefined> {
    return this.rows().where("v.doc_id", "=", docId).where("v.id", "=", id).executeTakeFirst();
  }

  async state(id: string): Promise<Uint8Array> {
    const row = await this.db
      .selectFrom("docs_versions")
      .select("state")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    return new Uint8Array(row.state);
  }

  async add(
    docId: string,
    v: { kind: DocsVersionsTable["kind"]; name?: string | null; state: Uint8Array; authorId: string | null },
  ): Promise<VersionRow> {
    const row: DocsVersionsTable = {
      id: uuidv7(),
      doc_id: docId,
      kind: v.kind,
      name: v.name ?? null,
      state: v.state,
      author_id: v.authorId,
      created_at: new Date().toISOString(),
    };
    await this.db.insertInto("docs_versions").values(row).execute();
    const found = await this.find(docId, row.id);
    if (!found) throw new Error("version not found after insert");
    return found;
  }

  /**
   * The schedule: after a store, keeps an automatic version when the newest
   * version is older than `intervalMs` and the text differs from it (a
   * document nobody changes gains none). Keeps the newest `AUTO_KEPT`.
   */
  async maybeAuto(docId: string, doc: Y.Doc, intervalMs: number): Promise<boolean> {
    const newest = await this.db
      .selectFrom("docs_versions")
      .select(["id", "state", "created_at"])
      .where("doc_id", "=", docId)
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    if (newest && Date.now() - Date.parse(newest.created_at) < intervalMs) return false;
    const text = toMarkdown(doc);
    const before = newest ? toMarkdown(docFromState(new Uint8Array(newest.state))) : "\n";
    if (text === before) return false;
    await this.add(docId, { kind: "auto", state: Y.encodeStateAsUpdate(doc), authorId: null });
    const old = await this.db
      .selectFrom("docs_versions")
      .select("id")
      .where("doc_id", "=", docId)
      .where("kind", "=", "auto")
      .orderBy("id", "desc")
      .offset(AUTO_KEPT)
      .limit(1000)
      .execute();
    if (old.length > 0)
      await this.db
        .deleteFrom("docs_versions")
        .where(
          "id",
          "in",
          old.map((o) => o.id),
        )
        .execute();
    return true;
  }
}
