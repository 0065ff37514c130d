import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kernelMigrations } from "@ensemble/kernel";
import { dropSchema, newSchemaName, testDbKind, testRedisUrl } from "@ensemble/testkit";
import { migrationHistories, modules } from "@ensemble/server";
import { runCli, startServe, storageEnv } from "./cli-process.ts";

/** `ensemble migrate` against an empty database, on the engine the suite runs on. */
describe(`ensemble migrate (${testDbKind()})`, () => {
  let dataDir: string;
  const schema = testDbKind() === "postgres" ? newSchemaName() : undefined;
  let env: Record<string, string>;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "ensemble-migrate-"));
    env = storageEnv(dataDir, schema);
  });
  afterAll(async () => {
    if (schema) await dropSchema(schema);
    await rm(dataDir, { recursive: true, force: true });
  });

  it("applies every migration on an empty database, then says it is up to date", async () => {
    const first = await runCli(["migrate"], env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const applied = first.stdout
      .split("\n")
      .filter((l) => l.startsWith("  "))
      .map((l) => l.trim());
    expect(first.stdout.startsWith("Applied:\n")).toBe(true);
    // The kernel's history first, then each module's in module-list order.
    expect(applied).toEqual(migrationHistories(modules).flatMap((h) => h.migrations.map((m) => m.name)));
    expect(applied).toEqual(expect.arrayContaining(kernelMigrations.map((m) => m.name)));

    // A deployment's environment usually has REDIS_URL too; migrate must not trip over it.
    const second = await runCli(["migrate"], { ...env, REDIS_URL: testRedisUrl() });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe("Database is up to date.\n");
  });

  it("a server started on the migrated database reports migrations applied on /readyz", async () => {
    const serve = startServe({ ...env, PORT: "0" });
    try {
      const url = await serve.ready;
      const r = await fetch(`${url}/readyz`);
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ status: "ready", database: true, migrations: true });
    } finally {
      serve.child.kill("SIGTERM");
      expect((await serve.exited).code).toBe(0);
    }
    // The server found nothing left to apply.
    expect((await runCli(["migrate"], env)).stdout).toBe("Database is up to date.\n");
  });
});
