import { describe, expect, it } from "vitest";
import { compareOrder } from "../../shared/order.ts";
import { insertionIndex, MAX_KEY_LENGTH, place, type Ordered } from "../placement.ts";

const cell = (...keys: string[]): Ordered[] => keys.map((position, i) => ({ id: `id${i}`, position }));

describe("placement rule", () => {
  it("after a present neighbour, else before the other, else top when asked, else bottom", () => {
    const c = cell("a0", "a1", "a2");
    expect(insertionIndex(c, { afterId: "id0" })).toBe(1);
    expect(insertionIndex(c, { afterId: "gone", beforeId: "id2" })).toBe(2);
    expect(insertionIndex(c, { afterId: null })).toBe(0);
    expect(insertionIndex(c, { afterId: null, beforeId: "id1" })).toBe(1);
    expect(insertionIndex(c, { beforeId: null })).toBe(3);
    expect(insertionIndex(c, { afterId: "gone", beforeId: "gone" })).toBe(3);
    expect(insertionIndex(c, {})).toBe(3);
  });

  it("generates a key strictly between the neighbours", () => {
    const p = place(cell("a0", "a1"), { afterId: "id0" });
    expect(p.rekeyed).toEqual([]);
    expect(p.position > "a0" && p.position < "a1").toBe(true);
  });

  it("re-keys the cell when the neighbours share a key, keeping their (key, id) order", () => {
    const c = cell("a0", "a1", "a1", "a2");
    const p = place(c, { afterId: "id1" });
    expect(p.rekeyed).toHaveLength(4);
    const after = [...p.rekeyed, { id: "new", position: p.position }].sort(compareOrder).map((x) => x.id);
    expect(after).toEqual(["id0", "id1", "new", "id2", "id3"]);
    expect(new Set([p.position, ...p.rekeyed.map((r) => r.position)]).size).toBe(5);
  });

  it("re-keys before a key grows past the limit (many inserts at one spot)", () => {
    let items: Ordered[] = cell("a0", "a1");
    let rekeys = 0;
    for (let i = 0; i < 400; i++) {
      const p = place(items, { afterId: "id0" });
      if (p.rekeyed.length) {
        rekeys++;
        const keys = new Map(p.rekeyed.map((r) => [r.id, r.position]));
        items = items.map((x) => ({ ...x, position: keys.get(x.id) ?? x.position }));
      }
      expect(p.position.length).toBeLessThanOrEqual(MAX_KEY_LENGTH);
      items.push({ id: `n${i}`, position: p.position });
      const sorted = [...items].sort(compareOrder);
      expect(sorted[1]!.id).toBe(`n${i}`);
    }
    expect(rekeys).toBeGreaterThan(0);
  });
});
