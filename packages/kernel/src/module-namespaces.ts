import type { Kernel } from "./kernel.ts";
import type { ModuleDefinition } from "./module.ts";

/**
 * What a module claims, by prefix, so that services written apart never step
 * on each other: realtime topics (`room:`), dotted names of its events,
 * notification kinds and search types (`chat.`), URL paths (`/api/chat`) and
 * table names (`chat_`).
 */
export interface ModuleNamespace {
  topics?: readonly string[];
  names?: readonly string[];
  urls?: readonly string[];
  tables?: readonly string[];
}

type Category = keyof ModuleNamespace;
const LABEL: Record<Category, string> = {
  topics: "topic prefix",
  names: "event and notification-kind prefix",
  urls: "URL prefix",
  tables: "table prefix",
};

/** `x` sits under the URL prefix `y`, by whole path segments (`/api/notesbook` is not under `/api/notes`). */
const urlUnder = (x: string, y: string) => x === y || x.startsWith(y.endsWith("/") ? y : `${y}/`);

/** One prefix contains the other: `/api/chat` and `/api/chat/x`, `room:` and `room:` (URLs by whole segments). */
function overlaps(category: Category, a: string, b: string): boolean {
  if (category !== "urls") return a.startsWith(b) || b.startsWith(a);
  return urlUnder(a, b) || urlUnder(b, a);
}

const claimsOf = (modules: readonly ModuleDefinition[], category: Category) =>
  modules.flatMap((m) => (m.namespace?.[category] ?? []).map((prefix) => ({ module: m.name, prefix })));

/**
 * What a module really uses (a route's URL, a table a migration created)
 * against the prefixes declared: under another module's prefix is a clash
 * naming both; outside its own declared prefixes is refused too.
 */
function usageProblems(
  modules: readonly ModuleDefinition[],
  category: "urls" | "tables",
  owner: string,
  used: readonly { value: string; note?: string }[],
): string[] {
  const under = category === "urls" ? urlUnder : (x: string, y: string) => x.startsWith(y);
  const noun = category === "urls" ? "route" : "table";
  const claims = claimsOf(modules, category);
  const own = modules.find((m) => m.name === owner)?.namespace?.[category];
  const problems: string[] = [];
  for (const { value, note } of used) {
    const it = `the ${noun} "${value}"${note ? ` (${note})` : ""}`;
    const other = claims.find((c) => c.module !== owner && under(value, c.prefix));
    if (other)
      problems.push(
        `${owner === "kernel" ? "the kernel" : `module "${owner}"`} and module "${other.module}" clash: ${it} of "${owner}" is under the ${LABEL[category]} "${other.prefix}" of "${other.module}"`,
      );
    else if (own && !own.some((p) => under(value, p)))
      problems.push(`module "${owner}": ${it} is outside its declared ${LABEL[category]}es (${own.join(", ")})`);
    else if (!own && category === "tables" && owner !== "kernel")
      problems.push(`module "${owner}": ${it} is not covered: the module declares no table prefix (namespace.tables)`);
  }
  return problems;
}

/**
 * The check of the tables each migration creates (see `migrateToLatest`):
 * a module's tables sit under its declared table prefixes, and nobody's
 * (not even the kernel's) under another module's. Refused before the
 * migration is recorded; on PostgreSQL its transaction rolls back.
 */
export function createdTablesCheck(
  modules: readonly ModuleDefinition[],
): (owner: string, migration: string, tables: readonly string[]) => void {
  return (owner, migration, tables) => {
    // SQLite's own bookkeeping (sqlite_sequence, sqlite_stat1) belongs to no one.
    const used = tables
      .filter((t) => !t.startsWith("sqlite_"))
      .map((value) => ({ value, note: `created by migration ${migration}` }));
    const problems = usageProblems(modules, "tables", owner, used);
    if (problems.length) throw new NamespaceError(`module namespaces clash:\n  ${problems.join("\n  ")}`);
  };
}

/** The URLs of the routes each module registered (recorded while its `routes` ran), against the declared URL prefixes. */
export function checkModuleRoutes(
  modules: readonly ModuleDefinition[],
  routes: ReadonlyMap<string, readonly string[]>,
): void {
  const problems = [...routes].flatMap(([owner, urls]) =>
    usageProblems(
      modules,
      "urls",
      owner,
      [...new Set(urls)].map((value) => ({ value })),
    ),
  );
  if (problems.length) throw new NamespaceError(`module namespaces clash:\n  ${problems.join("\n  ")}`);
}

export class NamespaceError extends Error {}

/**
 * Checked at start, before migrations: two modules claiming overlapping
 * prefixes, or the same topic family, refuse to start with a message naming
 * both; a module's topics, events and notification kinds must sit under the
 * prefixes it declared (when it declares that category).
 */
export function checkModuleNamespaces(modules: readonly ModuleDefinition[], k: Kernel): void {
  const problems: string[] = [];
  const claims: { module: string; category: Category; prefix: string }[] = [];
  const topicOwners = new Map<string, string>();
  for (const m of modules) {
    const ns = m.namespace ?? {};
    for (const category of Object.keys(LABEL) as Category[])
      for (const prefix of ns[category] ?? []) claims.push({ module: m.name, category, prefix });
    const actual: [Category, string, string][] = [
      ...(m.topics?.(k) ?? []).map((t): [Category, string, string] => ["topics", "topic family", t.prefix]),
      ...(m.events ?? []).map((e): [Category, string, string] => ["names", "event", e.name]),
      ...(m.notificationKinds ?? []).map((n): [Category, string, string] => ["names", "notification kind", n.kind]),
    ];
    for (const [category, what, value] of actual) {
      if (category === "topics") {
        const owner = topicOwners.get(value);
        if (owner && owner !== m.name)
          problems.push(`modules "${owner}" and "${m.name}" both define the topic family "${value}"`);
        topicOwners.set(value, m.name);
      }
      const declared = ns[category];
      if (declared && !declared.some((p) => value.startsWith(p)))
        problems.push(
          `module "${m.name}": ${what} "${value}" is outside its declared ${LABEL[category]}es (${declared.join(", ")})`,
        );
    }
  }
  for (let i = 0; i < claims.length; i++)
    for (let j = i + 1; j < claims.length; j++) {
      const a = claims[i]!;
      const b = claims[j]!;
      if (a.module !== b.module && a.category === b.category && overlaps(a.category, a.prefix, b.prefix))
        problems.push(
          `modules "${a.module}" and "${b.module}" both claim the ${LABEL[a.category]} "${a.prefix}"${a.prefix === b.prefix ? "" : ` / "${b.prefix}"`}`,
        );
    }
  if (problems.length) throw new NamespaceError(`module namespaces clash:\n  ${problems.join("\n  ")}`);
}
