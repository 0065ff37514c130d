import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { WebManifest } from "@ensemble/ui";
// The shell's own list (virtual:ensemble-modules, from modules.json): the fixture module's texts are checked on
// screen by e2e/module-manifest.test.ts.
import { manifests } from "../modules/manifests.ts";
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
});

/** Every label key a manifest names (navigation, cards, tabs, search types, notification kinds, actions). */
function labelKeys(m: WebManifest): string[] {
  return [
    ...(m.nav ? [m.nav.label] : []),
    ...(m.homeCards ?? []).flatMap((c) => [c.title, ...(c.link ? [c.link.label] : [])]),
    ...[...(m.adminTabs ?? []), ...(m.settingsTabs ?? [])].map((tab) => tab.label),
    ...Object.values(m.searchTypes ?? {}),
    ...Object.values(m.notificationKinds ?? {}),
    ...(m.actions ?? []).map((a) => a.label),
  ];
}

describe("module manifests' texts (each module's namespace, loaded with the shell)", () => {
  it("finds the installed modules", () => {
    expect(manifests.length).toBeGreaterThan(0);
  });

  it("has the same keys, no empty text and the same placeholders in French and English", () => {
    for (const m of manifests) {
      const f = flatten(m.messages.fr as Tree);
      const e = flatten(m.messages.en as Tree);
      expect([...f.keys()].sort(), `${m.name}: keys in fr and en`).toEqual([...e.keys()].sort());
      for (const [k, v] of f) {
        expect(v.trim(), `${m.name} fr ${k}`).not.toBe("");
        expect(e.get(k)?.trim(), `${m.name} en ${k}`).not.toBe("");
        expect(placeholders(e.get(k) ?? ""), `${m.name}: placeholders of ${k}`).toEqual(placeholders(v));
      }
    }
  });

  it("defines every label a manifest names, in both languages", () => {
    for (const m of manifests) {
      const f = flatten(m.messages.fr as Tree);
      const e = flatten(m.messages.en as Tree);
      const missing = labelKeys(m).filter((k) => !f.has(k) || !e.has(k));
      expect(missing, `${m.name}: labels missing from its messages`).toEqual([]);
    }
  });

  it("names only its own kinds and search types (prefixed with the module's name)", () => {
    for (const m of manifests)
      for (const name of [...Object.keys(m.notificationKinds ?? {}), ...Object.keys(m.searchTypes ?? {})])
        expect(name.startsWith(`${m.name}.`), `${m.name}: ${name}`).toBe(true);
  });

  it("translates every problem code: the kernel's in the shell's texts, each module's in its own", async () => {
    const { kernelProblemCodes } = await import("@ensemble/protocol");
    const missing = Object.keys(kernelProblemCodes).filter(
      (code) => !frKeys.has(`problems.${code}`) || !enKeys.has(`problems.${code}`),
    );
    expect(missing, "kernel problem codes without a translation in the shell").toEqual([]);
    expect(manifests.some((m) => Object.keys(m.problemCodes ?? {}).length > 0)).toBe(true);
    for (const m of manifests) {
      const f = flatten(m.messages.fr as Tree);
      const e = flatten(m.messages.en as Tree);
      const untranslated = Object.keys(m.problemCodes ?? {}).filter(
        (code) => !f.has(`problems.${code}`) || !e.has(`problems.${code}`),
      );
      expect(untranslated, `${m.name}: problem codes without a translation in its texts`).toEqual([]);
    }
  });
});
