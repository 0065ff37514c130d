import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import fr from "./fr.json" with { type: "json" };
import en from "./en.json" with { type: "json" };
import labelsFr from "./manifest.fr.json" with { type: "json" };
import labelsEn from "./manifest.en.json" with { type: "json" };
import { EMOJI_GROUPS } from "../emoji.ts";

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === "string") out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

// Plural forms differ by language (French also has `_many`): compare the base keys.
const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (keys: Iterable<string>) => new Set([...keys].map((k) => k.replace(PLURAL, "")));
// One namespace: the manifest's labels (loaded with the shell) and the rest (loaded with the chat's chunk).
const frKeys = new Map([...flatten(labelsFr as Tree), ...flatten(fr as Tree)]);
const enKeys = new Map([...flatten(labelsEn as Tree), ...flatten(en as Tree)]);
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
const webDir = fileURLToPath(new URL("..", import.meta.url));
const sources = (readdirSync(webDir, { recursive: true }) as string[])
  .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
  .map((f) => readFileSync(path.join(webDir, f), "utf8"));

describe("chat web texts (the `chat` namespace: manifest labels with the shell, the rest with the chat chunk)", () => {
  it("never defines a key in both files (the later one would silently win)", () => {
    const both = [...flatten(labelsFr as Tree).keys(), ...flatten(labelsEn as Tree).keys()].filter(
      (k) => flatten(fr as Tree).has(k) || flatten(en as Tree).has(k),
    );
    expect(both).toEqual([]);
  });

  it("has the same keys in French and English", () => {
    const f = base(frKeys.keys());
    const e = base(enKeys.keys());
    expect(
      [...f].filter((k) => !e.has(k)),
      "missing in en",
    ).toEqual([]);
    expect(
      [...e].filter((k) => !f.has(k)),
      "missing in fr",
    ).toEqual([]);
    for (const k of [...frKeys.keys(), ...enKeys.keys()].filter((x) => PLURAL.test(x))) {
      const other = k.replace(PLURAL, "_other");
      expect(frKeys.has(other) && enKeys.has(other), `${other} in both`).toBe(true);
    }
  });

  it("has no empty text and the same placeholders in both languages", () => {
    for (const [k, v] of [...frKeys, ...enKeys]) expect(v.trim(), k).not.toBe("");
    for (const [k, v] of frKeys) {
      const en = enKeys.get(k) ?? enKeys.get(k.replace(PLURAL, "_other"));
      expect(placeholders(en ?? ""), `placeholders of ${k}`).toEqual(placeholders(v));
    }
  });

  it("defines every key the chat code asks for, in both languages", () => {
    const used = new Set<string>();
    for (const src of sources) for (const m of src.matchAll(/\bt\(\s*"([a-zA-Z0-9_.-]+)"/g)) used.add(m[1]!);
    // Keys built at run time from a known list.
    for (const g of EMOJI_GROUPS) used.add(`emoji.groups.${g.key}`);
    for (const s of ["online", "away", "dnd", "offline"]) used.add(`presence.${s}`);
    for (const r of ["owner", "moderator", "member"]) used.add(`roles.${r}`);
    for (const s of ["favourites", "channels", "direct"]) used.add(`sidebar.sections.${s}`);
    // Each built-in slash command's description, in the reader's language (integrations/slash.tsx). The list is
    // the server's (read as text: browser code never imports server code).
    const builtIns = readFileSync(new URL("../../server/integrations/custom-commands.ts", import.meta.url), "utf8");
    const names = [...builtIns.matchAll(/command: "\/([a-z]+)",\s+description/g)].map((m) => m[1]!);
    expect(names).toEqual(expect.arrayContaining(["me", "shrug", "mute", "call"]));
    for (const name of names) used.add(`slashCommands.${name}`);
    expect(used.size).toBeGreaterThan(80);
    const has = (keys: Map<string, string>, k: string) => keys.has(k) || keys.has(`${k}_other`);
    const missing = [...used].filter((k) => !k.startsWith("problems.") && (!has(frKeys, k) || !has(enKeys, k)));
    expect(
      missing,
      "keys used by modules/chat/web but missing from its texts (fr.json, en.json, manifest.*.json)",
    ).toEqual([]);
  });
});
