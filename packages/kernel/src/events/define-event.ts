import type { z, ZodType } from "zod";

/** What an event's payload holds, and the version of that shape. */
export interface EventDefinition<N extends string = string, S extends ZodType = ZodType> {
  /** `module.resource.verb`, e.g. `chat.message.created`. */
  readonly name: N;
  readonly schema: S;
  /** Bumped when the payload changes in a way that its readers (handlers, exports) must tell apart. */
  readonly version: number;
}

export const EVENT_NAME_RE = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

const definitions = new Map<string, EventDefinition>();

/**
 * Declares an event: its name, the schema of its payload and their version.
 * Definitions register when their file is loaded (a module lists them in
 * `events`, which loads them); `recordEvent` checks payloads against them
 * outside production. Two different definitions of one name are refused.
 */
export function defineEvent<N extends string, S extends ZodType>(
  name: N,
  schema: S,
  version: number,
): EventDefinition<N, S> {
  if (!EVENT_NAME_RE.test(name)) throw new Error(`event name must be module.resource.verb, got ${name}`);
  if (!Number.isInteger(version) || version < 1) throw new Error(`event ${name}: version must be a positive integer`);
  const known = definitions.get(name);
  if (known && (known.schema !== schema || known.version !== version)) {
    throw new Error(`event ${name} is defined twice`);
  }
  const def: EventDefinition<N, S> = { name, schema, version };
  definitions.set(name, def);
  return def;
}

/** Outside production every recorded payload is checked: a wrong one is a bug to catch in tests, not to store. */
const checking = process.env.NODE_ENV !== "production";

export function checkEvent(name: string, payload: unknown): void {
  if (!checking) return;
  const def = definitions.get(name);
  if (!def) {
    throw new Error(`event ${name} has no definition: declare it with defineEvent and list it in its module's events`);
  }
  const r = def.schema.safeParse(payload);
  if (!r.success) {
    const where = r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Error(`event ${name} (v${def.version}): the payload does not match its definition: ${where}`);
  }
}

/** `{ name: payload }` for an object of definitions: what a module merges into `EventPayloads`. */
export type PayloadsOf<T extends Record<string, EventDefinition>> = {
  [K in keyof T as T[K]["name"]]: z.input<T[K]["schema"]>;
};
