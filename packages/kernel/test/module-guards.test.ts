import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kernelMigrations, loadConfig, migrateToLatest, openDatabase } from "@ensemble/kernel";

/**
 * Modules plug into the kernel through its curated surface (`@ensemble/kernel`
 * and the services on `Kernel`) and never around it: no deep import of its
 * files, and no statement of theirs writes one of its tables (users, tokens,
 * settings… change through `k.users`, `k.tokens`, `k.settings.namespace`, so
 * each change has its event and audit entry). Scans every module's sources,
 * including modules added later.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "dist") continue;
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx|mts)$/.test(entry)) out.push(p);
  }
  return out;
}

const moduleFiles = sources(path.join(root, "modules")).map((file) => ({
  file: path.relative(root, file),
  text: readFileSync(file, "utf8"),
}));

/** Module specifiers of static imports, re-exports, dynamic imports and `declare module` augmentations. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bdeclare\s+module\s+)["']([^"']+)["']/g;
  for (const m of text.matchAll(re)) found.push(m[1]!);
  return found;
}

/** Where a module reaches into the kernel other than through `@ensemble/kernel` itself. */
function deepKernelImports(file: string, text: string): string[] {
  return specifiers(text).filter((s) => {
    if (s.startsWith("@ensemble/kernel/")) return true;
    if (!s.startsWith(".")) return false;
    const target = path.relative(root, path.resolve(path.dirname(path.join(root, file)), s));
    return target.startsWith(`packages${path.sep}kernel`);
  });
}

/** Statements that write one of `tables`, by query builder or raw SQL. */
function tableWrites(text: string, tables: ReadonlySet<string>): string[] {
  const hits: string[] = [];
  const builder = /\b(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*["'`]([a-z_][a-z0-9_]*)["'`]/g;
  for (const m of text.matchAll(builder)) if (tables.has(m[2]!)) hits.push(`${m[1]}("${m[2]}")`);
  // Raw SQL lives in template literals (sql`…`): look for statements there only, not in prose.
  const raw = /\b(insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from|replace\s+into)\s+["]?([a-z_][a-z0-9_]*)["]?/gi;
  for (const literal of text.matchAll(/`(?:\\.|[^`\\])*`/g))
    for (const m of literal[0].matchAll(raw)) {
      const table = m[2]!.toLowerCase();
      if (tables.has(table)) hits.push(`${m[1]} ${table}`);
    }
  return hits;
}

describe("module guards", () => {
  let kernelTables: Set<string>;
  const dir = mkdtempSync(path.join(tmpdir(), "ensemble-guards-"));

  beforeAll(async () => {
    // The kernel's tables as its migrations create them: a table added later is guarded without editing this test.
    const database = await openDatabase(loadConfig({ DATA_DIR: dir }));
    try {
      await migrateToLatest(database.db as never, "sqlite", [{ owner: "kernel", migrations: kernelMigrations }]);
      const r = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(database.db);
      kernelTables = new Set(r.rows.map((row) => row.name).filter((n) => !n.startsWith("sqlite_")));
    } finally {
      await database.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds the module sources and the kernel's tables", () => {
    expect(moduleFiles.some((f) => f.file === path.join("modules", "chat", "server", "module.ts"))).toBe(true);
    for (const t of ["users", "app_tokens", "settings", "sessions", "events", "audit_log", "schema_migrations"])
      expect(kernelTables).toContain(t);
  });

  it("no module imports the kernel's internals (only `@ensemble/kernel`)", () => {
    const offenders = moduleFiles.flatMap(({ file, text }) =>
      deepKernelImports(file, text).map((s) => `${file}: ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it("no module statement writes a kernel table", () => {
    const offenders = moduleFiles.flatMap(({ file, text }) =>
      tableWrites(text, kernelTables).map((w) => `${file}: ${w}`),
    );
    expect(offenders).toEqual([]);
  });

  it("the scanners catch what they are meant to (so an empty answer means something)", () => {
    const tables = new Set(["users", "settings", "app_tokens"]);
    expect(
      tableWrites(
        [
          `await tx.updateTable("users").set({ deactivated: 1 })`,
          `db.insertInto( "settings" ).values(row)`,
          `await sql\`delete from app_tokens where user_id = \${id}\`.execute(tx)`,
          `db.insertInto("chat_bots").values(row)`,
          `// update users of the change`,
        ].join("\n"),
        tables,
      ),
    ).toEqual(['updateTable("users")', 'insertInto("settings")', "delete from app_tokens"]);
    const file = path.join("modules", "boards", "server", "x.ts");
    expect(
      deepKernelImports(
        file,
        [
          `import { insertUser } from "@ensemble/kernel/accounts/users";`,
          `import type { Kernel } from "@ensemble/kernel";`,
          `const m = await import("../../../packages/kernel/src/db/fold.ts");`,
          `declare module "@ensemble/kernel/events/record-event" {}`,
          `import { x } from "../shared/x.ts";`,
        ].join("\n"),
      ),
    ).toEqual([
      "@ensemble/kernel/accounts/users",
      "../../../packages/kernel/src/db/fold.ts",
      "@ensemble/kernel/events/record-event",
    ]);
  });
});
