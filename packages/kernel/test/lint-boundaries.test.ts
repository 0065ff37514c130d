import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";

/**
 * The import directions of DESIGN.md are enforced by the lint, not by review.
 * Sources are linted as text at virtual paths, so the rules are tested exactly
 * as `npm run check` applies them — including in modules that do not exist
 * (`zzz-new`), which no list names: the rules are written by glob.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
// The virtual files belong to no TypeScript program: the type-aware rules (not under test here) are left out.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { files: ["**/*.{ts,tsx}"], ...tseslint.configs.disableTypeChecked },
});

type Refusal = { rule: string; message: string };

async function refusals(filePath: string, code: string): Promise<Refusal[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId?.startsWith("boundaries/") && m.severity === 2)
    .map((m) => ({ rule: m.ruleId ?? "", message: m.message }));
}

const staticImport = (spec: string) => `import { x } from ${JSON.stringify(spec)};\nexport const y = x;\n`;
const importErrors = (filePath: string, spec: string) => refusals(filePath, staticImport(spec));

const refusedBy = (rule: string, message: RegExp) =>
  expect.arrayContaining([{ rule: `boundaries/${rule}`, message: expect.stringMatching(message) }]);

describe("lint: import boundaries", () => {
  it.each([
    ["packages/kernel/src/example.ts", "@ensemble/server"],
    ["packages/kernel/src/example.ts", "@ensemble/server/server"],
    ["packages/kernel/src/example.ts", "@ensemble/web"],
    ["packages/protocol/src/example.ts", "@ensemble/chat/shared/events"],
    ["packages/client/src/example.ts", "@ensemble/chat"],
    ["packages/ui/src/example.tsx", "@ensemble/web"],
    ["packages/ui/src/example.tsx", "@ensemble/zzz-new/shared"],
    ["packages/testkit/src/example.ts", "@ensemble/chat/server"],
    ["packages/testkit/src/example.ts", "@ensemble/zzz-new"],
  ])("%s may not import %s (packages → apps/modules)", async (file, spec) => {
    expect(await importErrors(file, spec)).toEqual(
      refusedBy("packages-independent", /packages\/\* must not depend on modules\/\* or apps\/\*/),
    );
  });

  it.each([
    ["packages/kernel/src/example.ts", "../../../apps/server/src/server.ts"],
    ["packages/kernel/src/accounts/example.ts", "../../../../modules/chat/server/routes.ts"],
    ["modules/chat/server/example.ts", "../../files/server/routes.ts"],
    ["modules/meetings/server/example.ts", "../../docs/shared/index.ts"],
    ["modules/zzz-new/server/handlers/example.ts", "../../../chat/web/pages.tsx"],
    ["modules/zzz-new/web/example.tsx", "../../../packages/kernel/src/index.ts"],
    ["apps/web/src/example.tsx", "../../../modules/chat/server/module.ts"],
  ])("%s may not import %s (a relative path leaving its package)", async (file, spec) => {
    expect(await importErrors(file, spec)).toEqual(refusedBy("relative-within-package", /import another workspace/));
  });

  it.each([
    ["modules/chat/server/example.ts", "@ensemble/files/server/routes"],
    ["modules/boards/web/example.tsx", "@ensemble/chat/web/pages"],
    ["modules/zzz-new/server/example.ts", "@ensemble/chat/server"],
    ["modules/zzz-new/web/example.tsx", "@ensemble/chat/web"],
    ["modules/chat/server/example.ts", "@ensemble/zzz-new/server"],
    ["modules/chat/server/example.ts", "@ensemble/zzz-new/web/Page"],
  ])("%s may not import %s (another module's internals)", async (file, spec) => {
    expect(await importErrors(file, spec)).toEqual(refusedBy("module-internals", /through its shared\/ contract/));
  });

  it.each([
    ["modules/chat/server/example.ts", "@ensemble/server"],
    ["modules/zzz-new/server/example.ts", "@ensemble/server/modules"],
    ["modules/zzz-new/web/example.tsx", "@ensemble/web"],
  ])("%s may not import %s (the composition root)", async (file, spec) => {
    expect(await importErrors(file, spec)).toEqual(refusedBy("composition-root", /composition root/));
  });

  it.each([
    ["../server/routes.ts", /server\/ or web\//],
    ["../web/ChatApp.tsx", /server\/ or web\//],
    ["@ensemble/chat/server", /server\/ or web\//],
    ["@ensemble/chat/web", /server\/ or web\//],
    ["node:fs", /Node-only/],
    ["node:crypto", /Node-only/],
    ["path", /Node-only/],
    ["@ensemble/kernel", /kernel/],
    ["@ensemble/kernel/http/route", /kernel/],
    ["fastify", /server libraries/],
    ["@fastify/websocket", /server libraries/],
    ["kysely", /server libraries/],
    ["pg", /server libraries/],
    ["ioredis", /server libraries/],
    ["react", /web libraries/],
    ["react-dom/client", /web libraries/],
    ["@mantine/core", /web libraries/],
  ])("modules/zzz-new/shared/x.ts may not import %s (shared/ is portable)", async (spec, message) => {
    for (const file of ["modules/zzz-new/shared/x.ts", "modules/chat/shared/deep/x.ts"]) {
      expect(await importErrors(file, spec)).toEqual(refusedBy("shared-portable", message));
    }
  });

  it.each([
    ["node:fs", "browser-no-node", /Node built-ins/],
    ["node:path", "browser-no-node", /Node built-ins/],
    ["fs", "browser-no-node", /Node built-ins/],
    ["@ensemble/kernel", "browser-only", /never imports the kernel/],
    ["@ensemble/kernel/accounts/users", "browser-only", /never imports the kernel/],
    ["@ensemble/chat/server", "browser-only", /server\//],
    ["@ensemble/zzz-new/server/module", "browser-only", /server\//],
    ["@ensemble/server", "browser-only", /server app/],
    ["fastify", "browser-only", /server libraries/],
    ["@fastify/cookie", "browser-only", /server libraries/],
    ["kysely", "browser-only", /server libraries/],
    ["pg", "browser-only", /server libraries/],
    ["ioredis", "browser-only", /server libraries/],
  ])("browser code may not import %s", async (spec, rule, message) => {
    for (const file of [
      "modules/zzz-new/web/Page.tsx",
      "modules/chat/web/deep/hooks.ts",
      "apps/web/src/layout/Example.tsx",
      "packages/ui/src/Table.tsx",
    ]) {
      expect(await importErrors(file, spec), file).toEqual(refusedBy(rule, message));
    }
  });

  it("a module's web/ may not import its own server/", async () => {
    expect(await importErrors("modules/zzz-new/web/Page.tsx", "../server/routes.ts")).toEqual(
      refusedBy("browser-only", /server\//),
    );
  });

  it.each([
    ["@ensemble/kernel", "browser-only", /kernel/],
    ["node:net", "browser-no-node", /Node built-ins/],
  ])("packages/client may not import %s (it runs in the browser)", async (spec, rule, message) => {
    expect(await importErrors("packages/client/src/example.ts", spec)).toEqual(refusedBy(rule, message));
  });

  it("a dynamic import() is held to the same rules (the shell lazy-loads modules)", async () => {
    expect(
      await refusals(
        "apps/web/src/services/example.tsx",
        `export const load = () => import("@ensemble/chat/server");\n`,
      ),
    ).toEqual(refusedBy("browser-only", /server\//));
    expect(
      await refusals(
        "modules/zzz-new/server/x.ts",
        `export const load = () => import("../../chat/server/module.ts");\n`,
      ),
    ).toEqual(refusedBy("relative-within-package", /import another workspace/));
  });

  it("re-exports are held to the same rules", async () => {
    expect(await refusals("modules/zzz-new/shared/index.ts", `export * from "@ensemble/kernel";\n`)).toEqual(
      refusedBy("shared-portable", /kernel/),
    );
  });

  it.each([
    ["modules/chat/server/example.ts", "@ensemble/files/shared"],
    ["modules/zzz-new/server/example.ts", "@ensemble/kernel"],
    ["modules/zzz-new/server/example.ts", "fastify"],
    ["modules/zzz-new/server/example.ts", "node:crypto"],
    ["modules/zzz-new/server/handlers/example.ts", "../../shared/events.ts"],
    ["modules/zzz-new/web/example.tsx", "../shared/schemas.ts"],
    ["modules/zzz-new/web/example.tsx", "@ensemble/chat/shared"],
    ["modules/zzz-new/web/example.tsx", "@ensemble/client"],
    ["modules/zzz-new/web/example.tsx", "react"],
    ["modules/zzz-new/web/example.test.ts", "node:fs"],
    ["modules/zzz-new/shared/x.ts", "zod"],
    ["modules/zzz-new/shared/x.ts", "@ensemble/protocol"],
    ["modules/zzz-new/shared/x.ts", "./schemas.ts"],
    ["apps/server/src/example.ts", "@ensemble/kernel"],
    ["apps/server/src/example.ts", "@ensemble/zzz-new/server"],
    ["apps/web/src/example.tsx", "@ensemble/chat/web"],
    ["apps/web/src/example.tsx", "@ensemble/chat/shared"],
    ["apps/web/scripts/example.ts", "node:fs"],
    ["packages/kernel/src/example.ts", "@ensemble/protocol"],
    ["packages/kernel/src/example.ts", "node:fs"],
    ["packages/testkit/src/example.ts", "@ensemble/server"],
    ["packages/ui/src/example.tsx", "@ensemble/protocol"],
    ["e2e/example.test.ts", "../modules/chat/shared/schemas.ts"],
  ])("%s may import %s", async (file, spec) => {
    expect(await importErrors(file, spec)).toEqual([]);
  });
});

describe("lint: React hooks", () => {
  it.each(["modules/zzz-new/web/Panel.tsx", "apps/web/src/layout/Panel.tsx", "packages/ui/src/Panel.tsx"])(
    "%s: a conditional hook and a missing effect dependency are errors",
    async (file) => {
      const code = [
        `import { useEffect, useState } from "react";`,
        `export function Panel({ on, id }: { on: boolean; id: string }) {`,
        `  if (on) useState(0);`,
        `  useEffect(() => console.info(id), []);`,
        `  return null;`,
        `}`,
        ``,
      ].join("\n");
      const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
      const errors = (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => m.ruleId);
      expect(errors).toEqual(expect.arrayContaining(["react-hooks/rules-of-hooks", "react-hooks/exhaustive-deps"]));
    },
  );
});
