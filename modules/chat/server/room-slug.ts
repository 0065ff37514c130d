import type { ChatDb } from "./tables.ts";
import { slugFromName } from "../shared/slug.ts";

const MAX_SLUG = 80;

/**
 * The address of a new room named `name` when none was typed: its folded
 * form, or the first free one of `base-2`, `base-3`, … when another channel
 * or group has it (a typed address that is taken stays a 409: the person
 * chose it). A creation racing for the same address still meets the unique
 * index and gets 409.
 */
export async function freeSlugFor(db: ChatDb, name: string): Promise<string> {
  const base = slugFromName(name);
  const taken = new Set(
    (
      await db
        .selectFrom("chat_rooms")
        .select("slug")
        .where((eb) => eb.or([eb("slug", "=", base), eb("slug", "like", `${base}-%`)]))
        .execute()
    ).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, MAX_SLUG - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
