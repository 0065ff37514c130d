import { randomBytes } from "node:crypto";
import pg from "pg";

/** Which engine the suites run on: `ENSEMBLE_TEST_DB=postgres` switches every server suite to PostgreSQL. */
export const testDbKind = (): "sqlite" | "postgres" =>
  process.env.ENSEMBLE_TEST_DB === "postgres" ? "postgres" : "sqlite";

export const testDatabaseUrl = (): string =>
  process.env.ENSEMBLE_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export const testRedisUrl = (): string => process.env.ENSEMBLE_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A fresh PostgreSQL schema per test server keeps parallel suites apart. */
export function newSchemaName(): string {
  return `t_${randomBytes(6).toString("hex")}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
