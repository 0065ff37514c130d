import { sql, type Kysely } from "kysely";
import { Migrator, type Migration, type MigrationResultSet } from "kysely/migration";
import type { DbKind } from "./database.ts";

/**
 * A migration receives the dialect so that the few engine-specific bits
 * (auto-increment keys, full-text indexes) can branch; everything else uses
 * Kysely's portable schema builder. Names are `YYYYMMDDTHHMM_owner_what` and
 * the list is append-only.
 */
export interface NamedMigration {
  name: string;
  up(db: Kysely<unknown>, kind: DbKind): Promise<void>;
}

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

export async function migrateToLatest(
  db: Kysely<unknown>,
  kind: DbKind,
  migrations: readonly NamedMigration[],
): Promise<MigrationResultSet> {
  const byName: Record<string, Migration> = {};
  for (const m of migrations) {
    if (byName[m.name]) throw new Error(`duplicate migration name ${m.name}`);
    byName[m.name] = { up: (d) => m.up(d, kind) };
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => byName },
    migrationTableName: "schema_migrations",
    migrationLockTableName: "schema_migrations_lock",
    ...(await migrationTableSchema(db, kind)),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error));
  return result;
}

/**
 * True when every known migration has been applied (used by /readyz). Reads
 * our own migration table directly: cheap, and never looks at another schema.
 */
export async function migrationsApplied(db: Kysely<unknown>, migrations: readonly NamedMigration[]): Promise<boolean> {
  const r = await sql<{ name: string }>`select name from schema_migrations`.execute(db);
  const applied = new Set(r.rows.map((row) => row.name));
  return migrations.every((m) => applied.has(m.name));
}
