import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import fr from "./fr.json" with { type: "json" };
import en from "./en.json" with { type: "json" };

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === "string") out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(e) && !e.endsWith(".test.ts") ? [p] : [];
  });
}

const frKeys = flatten(fr as Tree);
const enKeys = flatten(en as Tree);
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe("web shell translations", () => {
  it("has the same keys in French and English", () => {
    expect(
      [...frKeys.keys()].filter((k) => !enKeys.has(k)),
      "keys missing in en",
    ).toEqual([]);
    expect(
      [...enKeys.keys()].filter((k) => !frKeys.has(k)),
      "keys missing in fr",
    ).toEqual([]);
  });

  it("has no empty text and the same placeholders in both languages", () => {
    for (const [k, v] of frKeys) {
      expect(v.trim(), `fr ${k}`).not.toBe("");
      expect(enKeys.get(k)?.trim(), `en ${k}`).not.toBe("");
      expect(placeholders(enKeys.get(k) ?? ""), `placeholders of ${k}`).toEqual(placeholders(v));
    }
  });

  it("defines every literal key the code asks for", () => {
    const root = fileURLToPath(new URL("..", import.meta.url));
    const used = new Set<string>();
    for (const file of sources(root)) {
      for (const m of readFileSync(file, "utf8").matchAll(/\bt\(\s*"([a-zA-Z0-9_.-]+)"/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((k) => !frKeys.has(k) || !enKeys.has(k));
    expect(missing, "keys used in code but missing from fr.json or en.json").toEqual([]);
  });

  it("translates every problem code of the API", async () => {
    const { ProblemCodes } = await import("@ensemble/protocol");
    const missing = Object.keys(ProblemCodes).filter(
      (code) => !frKeys.has(`problems.${code}`) || !enKeys.has(`problems.${code}`),
    );
    expect(missing, "problem codes without a translation").toEqual([]);
  });
});
