import type { NamedMigration } from "./migrations.ts";

/**
 * One ordered history: the kernel's or one module's. Each has its own table,
 * so two modules written in parallel never interleave their timestamps.
 */
export interface MigrationHistory {
  /** `kernel`, or the module's name. */
  owner: string;
  migrations: readonly NamedMigration[];
}

export const KERNEL_HISTORY = "kernel";
const OWNER_RE = /^[a-z][a-z0-9_]*$/;

/** Where a history is recorded: the kernel's keeps the table every installation already has. */
export function migrationTable(owner: string): string {
  if (owner === KERNEL_HISTORY) return "schema_migrations";
  if (!OWNER_RE.test(owner)) throw new Error(`module "${owner}": a name of lowercase letters, digits and _ is needed`);
  return `schema_migrations_${owner}`;
}
