import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import fr from "./sharing.fr.json" with { type: "json" };
import en from "./sharing.en.json" with { type: "json" };
import labelsFr from "./manifest.fr.json" with { type: "json" };
import labelsEn from "./manifest.en.json" with { type: "json" };
import { flattenTexts as flatten, type TextTree as Tree } from "@ensemble/testkit/texts";

const PLURAL = /_(zero|one|two|few|many|other)$/;
const frKeys = flatten(fr as Tree);
const enKeys = flatten(en as Tree);
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
const webDir = fileURLToPath(new URL("..", import.meta.url));
const sources = (readdirSync(webDir) as string[])
  .filter((f) => /\.tsx?$/.test(f))
  .map((f) => readFileSync(path.join(webDir, f), "utf8"))
  .join("\n");

describe("Partageons' sharing texts (the `files` namespace, loaded with the dialog and the public page)", () => {
  it("has the same keys, no empty text and the same placeholders in French and English", () => {
    expect([...frKeys.keys()].sort()).toEqual([...enKeys.keys()].sort());
    for (const [k, v] of frKeys) {
      expect(v.trim(), k).not.toBe("");
      expect(placeholders(enKeys.get(k)!), k).toEqual(placeholders(v));
    }
  });

  it("never redefines a key of the manifest's texts (the later bundle would silently win)", () => {
    const labels = new Set([...flatten(labelsFr as Tree).keys(), ...flatten(labelsEn as Tree).keys()]);
    expect([...frKeys.keys()].filter((k) => labels.has(k))).toEqual([]);
  });

  it("defines every literal sharing key the pages ask for", () => {
    const asked = [...sources.matchAll(/t\(\s*"((?:share|byMe|public)\.[\w.]+)"/g)].map((m) => m[1]!);
    expect(asked.length).toBeGreaterThan(20);
    const known = new Set([...frKeys.keys()].map((k) => k.replace(PLURAL, "")));
    expect(asked.filter((k) => !known.has(k))).toEqual([]);
  });
});
