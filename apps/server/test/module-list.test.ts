import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtInModules, loadModules } from "../src/modules.ts";
import { DEFAULT_MODULE_LIST, moduleEntry, readModuleList } from "../src/module-list.ts";

const FIXTURE_LIST = fileURLToPath(
  new URL("../../../packages/testkit/fixtures/notes-module/list.json", import.meta.url),
);

describe("the module list", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ensemble-list-"));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("ships the services, chat first, each loaded after the kernel's built-in modules in list order", async () => {
    const listed = readModuleList(DEFAULT_MODULE_LIST);
    expect(listed[0]).toBe("@ensemble/chat");
    expect(listed).toContain("@ensemble/boards");
    const names = (await loadModules(DEFAULT_MODULE_LIST)).map((m) => m.name);
    // Each shipped workspace is named @ensemble/<module name>.
    expect(names).toEqual([...builtInModules.map((m) => m.name), ...listed.map((p) => p.replace("@ensemble/", ""))]);
  });

  it("takes a folder path relative to the list file: a module that is not a workspace", async () => {
    const names = (await loadModules(FIXTURE_LIST)).map((m) => m.name);
    expect(names.slice(-2)).toEqual(["chat", "notes"]);
    const web = moduleEntry(".", "web", FIXTURE_LIST);
    expect(web).toBe(path.join(path.dirname(FIXTURE_LIST), "web", "index.ts"));
    expect(moduleEntry("@ensemble/chat", "server", FIXTURE_LIST)).toBe("@ensemble/chat/server");
  });

  it("refuses a malformed list, naming the file", async () => {
    const bad = path.join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ modules: ["@ensemble/chat", 42] }));
    expect(() => readModuleList(bad)).toThrow(bad);
    await writeFile(bad, JSON.stringify(["@ensemble/chat"]));
    expect(() => readModuleList(bad)).toThrow(/expected \{ "modules"/);
  });

  it("refuses a folder whose package.json exports no side it needs", async () => {
    const mod = path.join(dir, "half");
    await writeFile(path.join(dir, "list.json"), JSON.stringify({ modules: ["./half"] }));
    await mkdir(mod, { recursive: true });
    await writeFile(path.join(mod, "package.json"), JSON.stringify({ exports: { "./web": "./web/index.ts" } }));
    await expect(loadModules(path.join(dir, "list.json"))).rejects.toThrow(/no "\.\/server" export/);
  });
});
