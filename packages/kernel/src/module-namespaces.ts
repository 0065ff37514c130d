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

/** One prefix contains the other: `/api/chat` and `/api/chat/x`, `room:` and `room:` (URLs by whole segments). */
function overlaps(category: Category, a: string, b: string): boolean {
  if (category !== "urls") return a.startsWith(b) || b.startsWith(a);
  const under = (x: string, y: string) => x === y || x.startsWith(y.endsWith("/") ? y : `${y}/`);
  return under(a, b) || under(b, a);
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
