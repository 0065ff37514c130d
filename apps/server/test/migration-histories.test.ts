import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql, type QueryExecutorProvider } from "kysely";
import { Migrator, type Migration } from "kysely/migration";
import { afterAll, describe, expect, it } from "vitest";
import {
  kernelMigrations,
  loadConfig,
  openDatabase,
  type ModuleDefinition,
  type NamedMigration,
} from "@ensemble/kernel";
import { dropSchema, newSchemaName, startTestServer, testDatabaseUrl, testDbKind } from "@ensemble/testkit";
import { builtInModules, modules } from "../src/modules.ts";
import {
  larch,
  larchMigrations,
  larchNeedles,
  maple,
  mapleMigrations,
} from "@ensemble/testkit/fixtures/interleaved-modules/modules";

type Row = { name: string; timestamp: string };

/** One database (a data directory, and a schema on PostgreSQL) that several servers start on in turn. */
function sharedDatabase() {
  const schema = testDbKind() === "postgres" ? newSchemaName() : undefined;
  let dataDir = "";
  const dir = async () => (dataDir ||= await mkdtemp(path.join(tmpdir(), "ensemble-histories-")));
  return {
    start: async (mods: readonly ModuleDefinition[]) =>
      startTestServer({ modules: mods, dataDir: await dir(), ...(schema ? { schema } : {}) }),
    open: async () =>
      openDatabase(
        loadConfig({
          DATA_DIR: await dir(),
          ...(schema ? { DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema } : {}),
        }),
      ),
    drop: async () => {
      if (schema) await dropSchema(schema);
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const rows = async (db: QueryExecutorProvider, table: string): Promise<Row[]> =>
  (await sql<Row>`select name, timestamp from ${sql.table(table)} order by name`.execute(db)).rows;
const names = (ms: readonly NamedMigration[]) => ms.map((m) => m.name).sort();

const databases: ReturnType<typeof sharedDatabase>[] = [];
afterAll(async () => {
  for (const d of databases) await d.drop();
});

describe(`migration histories, one per module (${testDbKind()})`, () => {
  it("two modules with interleaved timestamps start together, and a migration added later to one applies alone", async () => {
    const db = sharedDatabase();
    databases.push(db);
    // Larch is deployed first: its 12:00 migration is applied before maple's 11:00 exists.
    await (await db.start([...builtInModules, larch()])).close();
    // Maple comes first in the list but declares it migrates after larch (its leaves reference larch's trees).
    const s = await db.start([...builtInModules, maple, larch()]);
    const before = {
      larch: await rows(s.kernel.db, "schema_migrations_larch"),
      maple: await rows(s.kernel.db, "schema_migrations_maple"),
    };
    expect(before.larch.map((r) => r.name)).toEqual(names(larchMigrations));
    expect(before.maple.map((r) => r.name)).toEqual(names(mapleMigrations));
    expect((await rows(s.kernel.db, "schema_migrations")).map((r) => r.name)).toEqual(names(kernelMigrations));
    await s.close();

    // Larch's team adds 12:30, earlier than maple's newest (13:00): only that one runs.
    const later = await db.start([...builtInModules, maple, larch([larchNeedles])]);
    const after = await rows(later.kernel.db, "schema_migrations_larch");
    expect(after.map((r) => r.name)).toEqual(names([...larchMigrations, larchNeedles]));
    expect(after.filter((r) => r.name !== larchNeedles.name)).toEqual(before.larch);
    expect(await rows(later.kernel.db, "schema_migrations_maple")).toEqual(before.maple);
    await sql`insert into larch_needles (id) values ('n1')`.execute(later.kernel.db);
    expect((await later.client().get("/readyz")).status).toBe(200);
    await later.close();
  });

  it("refuses a module list whose migration dependencies cannot be met", async () => {
    const db = sharedDatabase();
    databases.push(db);
    await expect(db.start([...builtInModules, maple])).rejects.toThrow(
      /module "maple" migrates after "larch", which is not in the module list/,
    );
  });

  it("upgrades a database recorded in one shared history: nothing runs again", async () => {
    const db = sharedDatabase();
    databases.push(db);
    // The layout before per-module histories: every migration of the kernel and the modules in
    // `schema_migrations`, sorted by name, as the previous release's migrator recorded them.
    const old = await db.open();
    const all = [...kernelMigrations, ...modules.flatMap((m) => m.migrations ?? [])];
    const byName: Record<string, Migration> = Object.fromEntries(
      all.map((m): [string, Migration] => [m.name, { up: (d) => m.up(d, old.kind) }]),
    );
    const schemaOpt =
      old.kind === "postgres"
        ? { migrationTableSchema: (await sql<{ s: string }>`select current_schema() as s`.execute(old.db)).rows[0]!.s }
        : {};
    const result = await new Migrator({
      db: old.db as never,
      provider: { getMigrations: async () => byName },
      migrationTableName: "schema_migrations",
      migrationLockTableName: "schema_migrations_lock",
      ...schemaOpt,
    }).migrateToLatest();
    expect(result.error).toBeUndefined();
    const recorded = await rows(old.db as never, "schema_migrations");
    expect(recorded).toHaveLength(all.length);
    await old.close();

    const s = await db.start(modules);
    const byOwner = (ms: readonly NamedMigration[]) => recorded.filter((r) => ms.some((m) => m.name === r.name));
    expect(await rows(s.kernel.db, "schema_migrations")).toEqual(byOwner(kernelMigrations));
    const services = modules.filter((m) => m.migrations?.length);
    expect(services.map((m) => m.name)).toContain("chat");
    for (const m of services)
      expect(await rows(s.kernel.db, `schema_migrations_${m.name}`), m.name).toEqual(byOwner(m.migrations ?? []));
    expect((await s.client().get("/readyz")).status).toBe(200);
    await s.close();
  });
});
