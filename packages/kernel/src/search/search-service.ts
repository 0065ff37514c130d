import { sql, type Kysely } from "kysely";
import type { DatabaseSync } from "node:sqlite";
import type { Logger } from "pino";
import type { DbKind } from "../db/database.ts";
import type { KernelTables } from "../db/tables.ts";
import type { UserActor } from "../authz/actor.ts";
import type { EventDispatcher } from "../events/dispatcher.ts";
import type { ParsedQuery, SearchDocument, SearchHit, SearchIndexWriter, SearchProvider } from "./search-provider.ts";
import type { SearchTables } from "./search-tables.ts";

interface IndexRow {
  type: string;
  doc_id: string;
  title: string;
  url: string | null;
  data: string;
  snippet: string;
  rank: number;
}

export interface SearchResults {
  items: SearchHit[];
  groups: { type: string; items: SearchHit[] }[];
}

/**
 * The one search: providers registered by modules, the shared index they
 * write to, and the query that asks every provider, filters each answer with
 * the provider's policy check, merges and groups.
 */
export class SearchService implements SearchIndexWriter {
  private readonly providers = new Map<string, SearchProvider>();
  private readonly db: Kysely<SearchTables>;
  private readonly kind: DbKind;
  readonly sqlite: DatabaseSync | undefined;
  private readonly events: EventDispatcher;
  private readonly log: Logger;

  constructor(o: {
    db: Kysely<KernelTables>;
    kind: DbKind;
    sqlite: DatabaseSync | undefined;
    events: EventDispatcher;
    log: Logger;
  }) {
    this.db = o.db.withTables<SearchTables>() as unknown as Kysely<SearchTables>;
    this.kind = o.kind;
    this.sqlite = o.sqlite;
    this.events = o.events;
    this.log = o.log.child({ component: "search" });
  }

  register(p: SearchProvider): void {
    if (this.providers.has(p.type)) throw new Error(`search provider ${p.type} is registered twice`);
    if (!p.query && !p.scopes) throw new Error(`search provider ${p.type} needs query() or scopes()`);
    this.providers.set(p.type, p);
    const { index, events } = p;
    // One handler per provider: a failing indexer is retried without holding back the others.
    // Documents default to the event's time, so a retried (older) event never overwrites a newer version.
    if (index && events?.length) {
      this.events.register({
        name: `search.${p.type}`,
        events,
        handle: (e) =>
          index(e, {
            upsert: (doc) => this.upsert({ updatedAt: e.createdAt, ...doc }),
            remove: (type, id) => this.remove(type, id),
          }),
      });
    }
  }

  get types(): string[] {
    return [...this.providers.keys()];
  }

  async upsert(doc: SearchDocument): Promise<void> {
    const row = {
      type: doc.type,
      doc_id: doc.id,
      scope: doc.scope,
      title: doc.title.slice(0, 1_000),
      body: doc.body.slice(0, 100_000),
      url: doc.url ?? null,
      data: JSON.stringify(doc.data ?? {}),
      updated_at: doc.updatedAt ?? new Date().toISOString(),
    };
    const { type: _t, doc_id: _d, ...changes } = row;
    await this.db
      .insertInto("search_documents")
      .values(row)
      .onConflict((oc) =>
        oc.columns(["type", "doc_id"]).doUpdateSet(changes).where("search_documents.updated_at", "<=", row.updated_at),
      )
      .execute();
  }

  async remove(type: string, id: string): Promise<void> {
    await this.db.deleteFrom("search_documents").where("type", "=", type).where("doc_id", "=", id).execute();
  }

  async query(
    actor: UserActor,
    q: ParsedQuery,
    opts: { types?: readonly string[]; limit: number },
  ): Promise<SearchResults> {
    const wanted = [...this.providers.values()].filter((p) => !opts.types?.length || opts.types.includes(p.type));
    if (!q.terms.length) return { items: [], groups: [] };
    const answers = await Promise.all(
      wanted.map(async (p) => {
        try {
          const raw = p.query ? await p.query(actor, q, opts.limit) : await this.queryIndex(p, actor, q, opts.limit);
          return { type: p.type, items: (await p.authorize(actor, raw)).slice(0, opts.limit) };
        } catch (e) {
          this.log.error(
            { provider: p.type, err: (e as Error).message },
            "search provider failed; its results are left out",
          );
          return { type: p.type, items: [] };
        }
      }),
    );
    const groups = answers
      .filter((a) => a.items.length)
      .sort((a, b) => (b.items[0]?.score ?? 0) - (a.items[0]?.score ?? 0));
    const items = groups
      .flatMap((g) => g.items)
      .sort((a, b) => b.score - a.score)
      .slice(0, opts.limit);
    return { items, groups };
  }

  private async queryIndex(p: SearchProvider, actor: UserActor, q: ParsedQuery, limit: number): Promise<SearchHit[]> {
    const scopes = [...((await p.scopes?.(actor)) ?? [])];
    if (!scopes.length) return [];
    const rows =
      this.kind === "postgres"
        ? await this.queryPostgres(p.type, scopes, q, limit)
        : await this.querySqlite(p.type, scopes, q, limit);
    return rows.map((r) => ({
      type: r.type,
      id: r.doc_id,
      title: r.title,
      snippet: r.snippet,
      url: r.url,
      score:
        this.kind === "postgres" ? Number(r.rank) / (Number(r.rank) + 0.1) : -Number(r.rank) / (1 - Number(r.rank)),
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
  }

  private async querySqlite(type: string, scopes: string[], q: ParsedQuery, limit: number): Promise<IndexRow[]> {
    // Each term quoted (no FTS operators from user input) and a prefix: "plan" finds "planification".
    const match = q.terms.map((t) => `"${t.replace(/"/g, "")}"*`).join(" ");
    const r = await sql<IndexRow>`
      select d.type, d.doc_id, d.title, d.url, d.data,
             snippet(search_fts, 1, '', '', '…', 16) as snippet, bm25(search_fts, 5.0, 1.0) as rank
      from search_fts join search_documents d on d.rowid = search_fts.rowid
      where search_fts match ${match} and d.type = ${type} and d.scope in (${sql.join(scopes)})
      order by rank limit ${limit}`.execute(this.db);
    return r.rows;
  }

  private async queryPostgres(type: string, scopes: string[], q: ParsedQuery, limit: number): Promise<IndexRow[]> {
    const tsquery = q.terms.map((t) => `${t}:*`).join(" & ");
    const r = await sql<IndexRow>`
      select d.type, d.doc_id, d.title, d.url, d.data,
             ts_headline('ensemble_fr', left(d.body, 5000), query, 'StartSel="",StopSel="",MaxWords=20,MinWords=8') as snippet,
             ts_rank(d.tsv, query) as rank
      from search_documents d, to_tsquery('ensemble_fr', ${tsquery}) query
      where d.tsv @@ query and d.type = ${type} and d.scope in (${sql.join(scopes)})
      order by rank desc limit ${limit}`.execute(this.db);
    return r.rows;
  }
}
