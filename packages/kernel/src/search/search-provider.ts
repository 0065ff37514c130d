import type { UserActor } from "../authz/actor.ts";
import type { DomainEvent } from "../events/record-event.ts";

/** What a provider puts in the shared index: one row per searchable resource. */
export interface SearchDocument {
  /** The provider's type (`chat.message`, `files.file`). */
  type: string;
  id: string;
  /**
   * Visibility key: who may find it, as the provider's `scopes()` names it
   * (`public`, `user:<id>`, `room:<id>`). The query is restricted to the
   * actor's keys, then every hit is re-checked by `authorize`.
   */
  scope: string;
  title: string;
  body: string;
  /** Where the web app opens it. */
  url?: string | null;
  /** Small presentational extras returned with the hit (never secrets). */
  data?: Record<string, unknown>;
  updatedAt?: string;
}

export interface SearchHit {
  type: string;
  id: string;
  title: string;
  snippet: string;
  url: string | null;
  /** In [0, 1], comparable across providers only roughly: used to merge. */
  score: number;
  data: Record<string, unknown>;
}

/** The words of a query, cleaned: letters and digits only, at most 8. */
export interface ParsedQuery {
  text: string;
  terms: string[];
}

export interface SearchIndexWriter {
  upsert(doc: SearchDocument): Promise<void>;
  remove(type: string, id: string): Promise<void>;
}

/**
 * A module's part of the one search. Either it feeds the shared index from
 * its events (`events` + `index`) and says which visibility keys an actor
 * holds (`scopes`), or it answers queries itself (`query`). Either way
 * `authorize` filters the hits with the policy: a provider never returns
 * what the actor may not read.
 */
export interface SearchProvider {
  type: string;
  /** Events that change what is indexed (exact names or `module.*`). */
  events?: readonly string[];
  index?(event: DomainEvent, index: SearchIndexWriter): Promise<void>;
  scopes?(actor: UserActor): Promise<readonly string[]>;
  query?(actor: UserActor, q: ParsedQuery, limit: number): Promise<SearchHit[]>;
  authorize(actor: UserActor, hits: readonly SearchHit[]): Promise<SearchHit[]>;
}

export const defineSearchProvider = (p: SearchProvider): SearchProvider => p;

export function parseQuery(text: string): ParsedQuery {
  const terms = (text.normalize("NFC").match(/[\p{L}\p{N}]+/gu) ?? [])
    .slice(0, 8)
    .map((t) => t.slice(0, 64).toLowerCase());
  return { text, terms };
}
