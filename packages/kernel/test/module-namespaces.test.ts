import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defineModule, type ModuleDefinition } from "@ensemble/kernel";
import { startTestServer } from "@ensemble/testkit";
import { kernelModules } from "./kernel-modules.ts";

/** Two small services written apart, as the fixtures of a clash. */
const notes = defineModule({
  name: "notes",
  namespace: { topics: ["note:"], names: ["notes."], urls: ["/api/notes"], tables: ["notes_"] },
  topics: () => [{ prefix: "note:", authorizeTopic: async () => true }],
  notificationKinds: [{ kind: "notes.shared", defaults: { inApp: true, push: false, email: false } }],
});
const memos = (namespace: ModuleDefinition["namespace"], extra: Partial<ModuleDefinition> = {}) =>
  defineModule({ name: "memos", namespace, ...extra });

const dirs: string[] = [];
async function start(modules: readonly ModuleDefinition[]) {
  const dataDir = await mkdtemp(path.join(tmpdir(), "ensemble-ns-"));
  dirs.push(dataDir);
  return startTestServer({ modules: [...kernelModules, ...modules], dataDir });
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("module namespaces are checked at start", () => {
  it("two modules with their own prefixes start together", async () => {
    const s = await start([notes, memos({ topics: ["memo:"], names: ["memos."], urls: ["/api/memos"] })]);
    expect((await s.client().get("/healthz")).status).toBe(200);
    await s.close();
  });

  it.each([
    [
      "an event and kind prefix",
      { names: ["notes."] },
      /modules "notes" and "memos" both claim the event and notification-kind prefix "notes\."/,
    ],
    [
      "a URL prefix under another's",
      { urls: ["/api/notes/memos"] },
      /modules "notes" and "memos" both claim the URL prefix "\/api\/notes" \/ "\/api\/notes\/memos"/,
    ],
    ["a table prefix", { tables: ["notes_memo"] }, /modules "notes" and "memos" both claim the table prefix/],
  ])("refuses to start when two modules claim %s, naming both", async (_what, namespace, message) => {
    await expect(start([notes, memos(namespace)])).rejects.toThrow(message);
  });

  it("refuses two modules defining the same topic family, naming both", async () => {
    const clash = memos(undefined, { topics: () => [{ prefix: "note:", authorizeTopic: async () => false }] });
    await expect(start([notes, clash])).rejects.toThrow(
      /modules "notes" and "memos" both define the topic family "note:"/,
    );
  });

  it("refuses a notification kind outside the module's declared prefixes", async () => {
    const stray = memos(
      { names: ["memos."] },
      { notificationKinds: [{ kind: "notes.reminder", defaults: { inApp: true, push: false, email: false } }] },
    );
    await expect(start([stray])).rejects.toThrow(/module "memos": notification kind "notes\.reminder" is outside/);
  });

  it("URL prefixes overlap by whole path segments only", async () => {
    const s = await start([notes, memos({ urls: ["/api/notesbook"] })]);
    expect((await s.client().get("/healthz")).status).toBe(200);
    await s.close();
  });
});
