import type { DiffLine } from "../shared/history.ts";

/** Beyond this many cells the comparison gives up on alignment (everything removed, then added). */
const MAX_CELLS = 4_000_000;

/**
 * The lines of `before` and `after` in order, each marked kept, removed or
 * added: a longest common subsequence, after trimming the common head and
 * tail (most edits touch a few lines of a long document).
 */
export function diffLines(before: readonly string[], after: readonly string[]): DiffLine[] {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (
    tail < before.length - head &&
    tail < after.length - head &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  )
    tail++;
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  const same = (text: string): DiffLine => ({ change: "same", text });
  const middle: DiffLine[] = [];
  if (a.length * b.length > MAX_CELLS) {
    middle.push(...a.map((text) => ({ change: "removed" as const, text })));
    middle.push(...b.map((text) => ({ change: "added" as const, text })));
  } else {
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..], in one flat array.
    const w = b.length + 1;
    const lcs = new Uint32Array((a.length + 1) * w);
    for (let i = a.length - 1; i >= 0; i--)
      for (let j = b.length - 1; j >= 0; j--)
        lcs[i * w + j] =
          a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i] === b[j]) {
        middle.push(same(a[i]!));
        i++;
        j++;
      } else if (i < a.length && (j === b.length || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        // A replaced line reads as its old text struck, then its new one.
        middle.push({ change: "removed", text: a[i++]! });
      } else {
        middle.push({ change: "added", text: b[j++]! });
      }
    }
  }
  return [...before.slice(0, head).map(same), ...middle, ...after.slice(after.length - tail).map(same)];
}
