import { sql, type Kysely } from "kysely";
import type { DbKind } from "./database.ts";
import { KERNEL_HISTORY, migrationTable, type MigrationHistory } from "./migration-history.ts";

async function tableExists(db: Kysely<unknown>, kind: DbKind, table: string): Promise<boolean> {
  const r =
    kind === "postgres"
      ? await sql`select 1 from information_schema.tables where table_schema = current_schema() and table_name = ${table}`.execute(
          db,
        )
      : await sql`select 1 from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  return r.rows.length > 0;
}

/**
 * Until per-module histories, every migration (the kernel's and every
 * module's) was recorded in `schema_migrations`. On such a database the rows
 * of each module move to that module's own table, with their timestamps, so
 * that nothing runs twice; the kernel's rows stay where they are. Idempotent
 * (a row already moved is not copied again), so two nodes starting together
 * on an old database both get there.
 */
export async function splitSharedHistory(
  db: Kysely<unknown>,
  kind: DbKind,
  histories: readonly MigrationHistory[],
): Promise<void> {
  const shared = migrationTable(KERNEL_HISTORY);
  if (!(await tableExists(db, kind, shared))) return;
  const kernelNames = new Set(histories.find((h) => h.owner === KERNEL_HISTORY)?.migrations.map((m) => m.name));
  const rows = (
    await sql<{ name: string; timestamp: string }>`select name, timestamp from ${sql.table(shared)}`.execute(db)
  ).rows;
  const foreign = rows.filter((r) => !kernelNames.has(r.name));
  if (!foreign.length) return;
  for (const h of histories) {
    if (h.owner === KERNEL_HISTORY) continue;
    const names = new Set(h.migrations.map((m) => m.name));
    const mine = foreign.filter((r) => names.has(r.name));
    if (!mine.length) continue;
    const table = migrationTable(h.owner);
    await db.transaction().execute(async (trx) => {
      // The same definition as Kysely's own migration tables.
      await trx.schema
        .createTable(table)
        .ifNotExists()
        .addColumn("name", "varchar(255)", (c) => c.notNull().primaryKey())
        .addColumn("timestamp", "varchar(255)", (c) => c.notNull())
        .execute();
      for (const r of mine)
        await sql`insert into ${sql.table(table)} (name, timestamp) values (${r.name}, ${r.timestamp}) on conflict (name) do nothing`.execute(
          trx,
        );
      await sql`delete from ${sql.table(shared)} where name in (${sql.join(mine.map((r) => r.name))})`.execute(trx);
    });
  }
  const owners = new Set(histories.flatMap((h) => h.migrations.map((m) => m.name)));
  const orphans = foreign.filter((r) => !owners.has(r.name)).map((r) => r.name);
  if (orphans.length)
    throw new Error(
      `migrations ${orphans.join(", ")} are recorded as applied in ${shared} but no module of this installation declares them (a module taken out of the module list?)`,
    );
}
