import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defineModule, type ModuleDefinition, type NamedMigration } from "@ensemble/kernel";
import { startTestServer } from "@ensemble/testkit";
import { larch, maple, trespassingMaple } from "@ensemble/testkit/fixtures/interleaved-modules/modules";
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

/** A migration of memos that creates one table. */
const creating = (table: string): NamedMigration => ({
  name: "20261201T0900_memos_drafts",
  up: async (db) => {
    await db.schema
      .createTable(table)
      .addColumn("id", "text", (c) => c.primaryKey())
      .execute();
  },
});

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

  it("refuses a route outside the module's declared URL prefixes", async () => {
    const stray = memos(
      { urls: ["/api/memos"] },
      {
        routes: (app) => {
          app.get("/api/memos/list", async () => []);
          // In a plugin of its own: its routes load later, and are the module's all the same.
          void app.register(async (scope) => {
            scope.get("/api/jotter/list", async () => []);
          });
        },
      },
    );
    await expect(start([stray])).rejects.toThrow(
      /module "memos": the route "\/api\/jotter\/list" is outside its declared URL prefixes \(\/api\/memos\)/,
    );
  });

  it("refuses a table outside the module's declared table prefixes", async () => {
    const stray = memos({ tables: ["memos_"] }, { migrations: [creating("drafts")] });
    await expect(start([stray])).rejects.toThrow(
      /module "memos": the table "drafts" \(created by migration 20261201T0900_memos_drafts\) is outside its declared table prefixes \(memos_\)/,
    );
  });

  it("refuses a module creating tables without declaring a table prefix", async () => {
    const undeclared = memos(undefined, { migrations: [creating("memos_drafts")] });
    await expect(start([undeclared])).rejects.toThrow(
      /module "memos": the table "memos_drafts" .* is not covered: the module declares no table prefix/,
    );
  });

  it.each([
    [
      "a table",
      "table",
      /the table "larch_bark" \(created by migration 20261201T1400_maple_bark\) of "maple" is under the table prefix "larch_" of "larch"/,
    ],
    [
      "a route",
      "route",
      /the route "\/api\/larch\/leaves" of "maple" is under the URL prefix "\/api\/larch" of "larch"/,
    ],
  ] as const)(
    "refuses two fixture modules when one uses %s in the other's namespace, naming both",
    async (_w, what, message) => {
      const refused = start([larch(), trespassingMaple(what)]);
      await expect(refused).rejects.toThrow(/module "maple" and module "larch" clash/);
      await expect(refused).rejects.toThrow(message);
    },
  );

  it("the two fixture modules in their own namespaces start together", async () => {
    const s = await start([maple, larch()]);
    expect((await s.client().get("/readyz")).status).toBe(200);
    await s.close();
  });
});
