import { describe, expect, it } from "vitest";
import { contrast, focusColors, parseHex, toHex } from "./color.ts";

const WHITE = parseHex("#ffffff");

/** Every brand colour on a grid of 16 steps per channel (4096 colours), plus the audit's pale and dark ones. */
const brands = [
  "#f2e96b",
  "#000091",
  "#ffd43b",
  "#6a1b9a",
  ...Array.from({ length: 16 ** 3 }, (_, i) => toHex([(i >> 8) * 17, ((i >> 4) & 15) * 17, (i & 15) * 17])),
];

describe("the focus ring's colours", () => {
  it("read at 3:1 or more on the page and on the header, whatever the brand colour", () => {
    const failures = brands.filter((b) => {
      const f = focusColors(b);
      return contrast(parseHex(f.page), WHITE) < 3 || contrast(parseHex(f.header), parseHex(b)) < 3;
    });
    expect(failures).toEqual([]);
  });

  it("are not the raw brand colour when it is pale (the audit's #f2e96b was 1.3:1 on white)", () => {
    expect(contrast(parseHex("#f2e96b"), WHITE)).toBeLessThan(1.5);
    expect(focusColors("#f2e96b").page).not.toBe("#f2e96b");
  });
});
