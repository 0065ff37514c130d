import { describe, expect, it } from "vitest";
import { safeNext } from "./safe-next.ts";

describe("safeNext", () => {
  it("keeps a same-site path with its query", () => {
    expect(safeNext("/chat/general?m=1")).toBe("/chat/general?m=1");
  });

  it.each([
    null,
    "",
    "chat",
    "//evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "/a\u0000b",
    "/a\nb",
    "https://evil.example/",
  ])("falls back to the home page for %j", (next) => {
    expect(safeNext(next)).toBe("/");
  });
});
