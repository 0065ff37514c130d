import type { Kysely } from "kysely";
import type { Kernel, KernelTables } from "@ensemble/kernel";

export interface DocsStatesTable {
  doc_id: string;
  state: Uint8Array;
  updated_at: string;
}

export interface DocsUpdatesTable {
  id: string;
  doc_id: string;
  update: Uint8Array;
  created_at: string;
}

export interface DocsVersionsTable {
  id: string;
  doc_id: string;
  kind: "named" | "auto" | "before-restore";
  name: string | null;
  /** The whole Yjs state at that moment (an update from nothing). */
  state: Uint8Array;
  author_id: string | null;
  created_at: string;
}

export interface DocsThreadsTable {
  id: string;
  doc_id: string;
  /** Yjs relative positions (encoded) of the range's start and end. */
  anchor_start: Uint8Array;
  anchor_end: Uint8Array;
  quote: string;
  author_id: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
}

export interface DocsCommentsTable {
  id: string;
  thread_id: string;
  author_id: string;
  text: string;
  created_at: string;
}

export type DocsTables = {
  docs_threads: DocsThreadsTable;
  docs_comments: DocsCommentsTable;
  docs_states: DocsStatesTable;
  docs_updates: DocsUpdatesTable;
  docs_versions: DocsVersionsTable;
};

export type DocsDb = Kysely<KernelTables & DocsTables>;
export const docsDb = (k: Kernel): DocsDb => k.db.withTables<DocsTables>();
