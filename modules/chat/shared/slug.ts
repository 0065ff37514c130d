/** The longest room address (as `slugSchema` allows). */
const MAX_SLUG = 80;

/**
 * The address a room name gets when none is typed: « Projet Salon » →
 * `projet-salon`. Accents are folded (NFKD without combining marks, œ → oe),
 * every run of other characters becomes one `-`. Empty when nothing of the
 * name survives (only emoji, say): the caller then asks for an address.
 */
export function slugFromName(name: string): string {
  return name
    .replace(/œ/gi, "oe")
    .replace(/æ/gi, "ae")
    .replace(/ß/g, "ss")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "-")
    .replace(/^[-_]+/, "")
    .slice(0, MAX_SLUG)
    .replace(/-+$/, "");
}
