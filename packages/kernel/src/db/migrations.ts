import { sql, type Kysely } from "kysely";
import { Migrator, type Migration, type MigrationResult } from "kysely/migration";
import type { DbKind } from "./database.ts";
import { splitSharedHistory } from "./shared-history.ts";
import { KERNEL_HISTORY, migrationTable, type MigrationHistory } from "./migration-history.ts";

export { KERNEL_HISTORY, migrationTable, type MigrationHistory };

/**
 * A migration receives the dialect so that the few engine-specific bits
 * (auto-increment keys, full-text indexes) can branch; everything else uses
 * Kysely's portable schema builder. Names are `YYYYMMDDTHHMM_owner_what`;
 * each history (the kernel's, each module's) is append-only and ordered by name.
 */
export interface NamedMigration {
  name: string;
  up(db: Kysely<unknown>, kind: DbKind): Promise<void>;
}

/** Called with the tables one migration created; throwing refuses the migration (checked before it is recorded). */
export type CreatedTablesCheck = (owner: string, migration: string, tables: readonly string[]) => void;

/**
 * On PostgreSQL the migration tables live in the connection's own schema.
 * Named explicitly because Kysely otherwise looks for them in every schema,
 * and finding another schema's (parallel test servers, several instances on
 * one database) would make it skip creating its own.
 */
async function migrationTableSchema(db: Kysely<unknown>, kind: DbKind): Promise<{ migrationTableSchema?: string }> {
  if (kind !== "postgres") return {};
  const r = await sql<{ s: string | null }>`select current_schema() as s`.execute(db);
  const schema = r.rows[0]?.s;
  return schema ? { migrationTableSchema: schema } : {};
}

/** The tables of this database (this schema on PostgreSQL). */
export async function listTables(db: Kysely<unknown>, kind: DbKind): Promise<Set<string>> {
  const r =
    kind === "postgres"
      ? await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(db)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db);
  return new Set(r.rows.map((row) => row.name));
}

async function migrateHistory(
  db: Kysely<unknown>,
  kind: DbKind,
  history: MigrationHistory,
  check: CreatedTablesCheck | undefined,
): Promise<MigrationResult[]> {
  const byName: Record<string, Migration> = {};
  for (const m of history.migrations) {
    if (byName[m.name]) throw new Error(`${history.owner}: duplicate migration name ${m.name}`);
    byName[m.name] = {
      up: async (d) => {
        const before = check ? await listTables(d, kind) : new Set<string>();
        await m.up(d, kind);
        if (!check) return;
        const created = [...(await listTables(d, kind))].filter((t) => !before.has(t));
        check(history.owner, m.name, created);
      },
    };
  }
  const table = migrationTable(history.owner);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => byName },
    migrationTableName: table,
    // One lock for every history: two nodes starting together migrate one after the other.
    migrationLockTableName: "schema_migrations_lock",
    ...(await migrationTableSchema(db, kind)),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const e = result.error instanceof Error ? result.error : new Error(String(result.error));
    if (!e.message.startsWith("corrupted migrations")) throw e;
    throw new Error(`migration history of ${history.owner} (${table}): ${e.message}`);
  }
  return [...(result.results ?? [])];
}

/**
 * Brings every history up to date, in the order given (the kernel's first,
 * then the modules'; see `orderHistories`). A database whose histories were
 * still one shared table is split first, so nothing already applied runs again.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  kind: DbKind,
  histories: readonly MigrationHistory[],
  opts: { checkCreatedTables?: CreatedTablesCheck } = {},
): Promise<{ results: (MigrationResult & { owner: string })[] }> {
  await splitSharedHistory(db, kind, histories);
  const results: (MigrationResult & { owner: string })[] = [];
  for (const h of histories) {
    if (!h.migrations.length) continue;
    for (const r of await migrateHistory(db, kind, h, opts.checkCreatedTables)) results.push({ ...r, owner: h.owner });
  }
  return { results };
}

/**
 * True when every known migration of every history has been applied (used by
 * /readyz). Reads our own migration tables directly: cheap, and never looks
 * at another schema.
 */
export async function migrationsApplied(db: Kysely<unknown>, histories: readonly MigrationHistory[]): Promise<boolean> {
  for (const h of histories) {
    if (!h.migrations.length) continue;
    let rows: { name: string }[];
    try {
      rows = (await sql<{ name: string }>`select name from ${sql.table(migrationTable(h.owner))}`.execute(db)).rows;
    } catch {
      return false; // its table does not exist yet
    }
    const applied = new Set(rows.map((row) => row.name));
    if (!h.migrations.every((m) => applied.has(m.name))) return false;
  }
  return true;
}
