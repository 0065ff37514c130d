import type { ModuleDefinition } from "../module.ts";
import type { NamedMigration } from "./migrations.ts";
import { KERNEL_HISTORY, type MigrationHistory } from "./migration-history.ts";

/**
 * The histories of an installation in the order they run: the kernel's first,
 * then each module's in module-list order, except that a module runs after
 * the modules it names in `migrateAfter` (its tables reference theirs).
 */
export function orderHistories(
  kernel: readonly NamedMigration[],
  modules: readonly ModuleDefinition[],
): MigrationHistory[] {
  const byName = new Map(modules.map((m) => [m.name, m]));
  // Each history sorted by name: the order its migrations run in.
  const sorted = (ms: readonly NamedMigration[]) => [...ms].sort((a, b) => a.name.localeCompare(b.name));
  const ordered: MigrationHistory[] = [{ owner: KERNEL_HISTORY, migrations: sorted(kernel) }];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (m: ModuleDefinition, path: readonly string[]) => {
    if (m.name === KERNEL_HISTORY) throw new Error(`"${KERNEL_HISTORY}" is the kernel's own name, not a module's`);
    if (done.has(m.name)) return;
    if (visiting.has(m.name))
      throw new Error(`modules' migrations depend on each other in a cycle: ${[...path, m.name].join(" → ")}`);
    visiting.add(m.name);
    for (const dep of m.migrateAfter ?? []) {
      const d = byName.get(dep);
      if (!d) throw new Error(`module "${m.name}" migrates after "${dep}", which is not in the module list`);
      visit(d, [...path, m.name]);
    }
    visiting.delete(m.name);
    done.add(m.name);
    ordered.push({ owner: m.name, migrations: sorted(m.migrations ?? []) });
  };
  for (const m of modules) visit(m, []);
  return ordered;
}
