import { generateKeyBetween, generateNKeysBetween } from "fractional-indexing";
import { compareOrder } from "../shared/order.ts";

/**
 * Where a created or moved item goes, and the conflict rule.
 *
 * The client names neighbours as it sees them (`afterId`, `beforeId`); the
 * server, holding the board's lock (boards.ts `lockBoard`), reads the cell
 * as it stands at that moment and places the item:
 *
 * 1. right after `afterId` if that item is still in the cell;
 * 2. otherwise right before `beforeId` if that one is;
 * 3. otherwise at the top if the client asked `afterId: null`;
 * 4. otherwise at the bottom (`beforeId: null`, nothing named, or every
 *    named neighbour has since moved away or been deleted).
 *
 * The new key is generated strictly between its two neighbours' keys
 * (fractional-indexing), so keys stay distinct. The total order everywhere is
 * (key, id) (shared/order.ts): two equal keys — an archived card restored
 * between neighbours that took its key meanwhile — still sort one way. When the
 * neighbours' keys are equal, or the new key would grow past MAX_KEY_LENGTH
 * (after very many inserts at one spot), the server re-keys the whole cell
 * with evenly spread keys and reports the new keys (event `boards.card.rekeyed`).
 */
export const MAX_KEY_LENGTH = 48;

export interface Ordered {
  id: string;
  position: string;
}

export interface Placement {
  position: string;
  /** New keys of the other items of the cell, when the cell was re-keyed. */
  rekeyed: Ordered[];
}

export interface Neighbours {
  afterId?: string | null | undefined;
  beforeId?: string | null | undefined;
}

/** The index in `siblings` (the cell without the item, in order) where the item goes. */
export function insertionIndex(siblings: readonly Ordered[], n: Neighbours): number {
  const at = (id: string | null | undefined) => (id ? siblings.findIndex((s) => s.id === id) : -1);
  const after = at(n.afterId);
  if (after >= 0) return after + 1;
  const before = at(n.beforeId);
  if (before >= 0) return before;
  if (n.afterId === null) return 0;
  return siblings.length;
}

/** Places one item among `siblings` (any order; the item itself must not be among them). */
export function place(siblings: readonly Ordered[], n: Neighbours): Placement {
  const sorted = [...siblings].sort(compareOrder);
  const index = insertionIndex(sorted, n);
  const lower = sorted[index - 1]?.position ?? null;
  const upper = sorted[index]?.position ?? null;
  if (lower === null || upper === null || lower < upper) {
    const position = generateKeyBetween(lower, upper);
    if (position.length <= MAX_KEY_LENGTH) return { position, rekeyed: [] };
  }
  const keys = generateNKeysBetween(null, null, sorted.length + 1);
  const rekeyed = sorted.map((s, i) => ({ id: s.id, position: keys[i < index ? i : i + 1]! }));
  return { position: keys[index]!, rekeyed };
}
