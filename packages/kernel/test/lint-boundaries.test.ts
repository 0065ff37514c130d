import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/**
 * The import directions of DESIGN.md are enforced by the lint, not by review:
 * packages/* never import modules/* or apps/*, and a module reaches another
 * only through its shared/ contract. Linted as text with a virtual path, so
 * the rule is tested exactly as `npm run check` applies it.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const eslint = new ESLint({ cwd: root });

async function importErrors(filePath: string, specifier: string): Promise<string[]> {
  const code = `import { x } from ${JSON.stringify(specifier)};\nexport const y = x;\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === "no-restricted-imports" && m.severity === 2)
    .map((m) => m.message);
}

describe("lint: import boundaries", () => {
  it.each([
    ["packages/kernel/src/example.ts", "@ensemble/server"],
    ["packages/kernel/src/example.ts", "@ensemble/server/server"],
    ["packages/kernel/src/example.ts", "../../../apps/server/src/server.ts"],
    ["packages/protocol/src/example.ts", "@ensemble/chat/shared/events"],
    ["packages/kernel/src/accounts/example.ts", "../../../../modules/chat/server/routes.ts"],
    ["packages/ui/src/example.tsx", "@ensemble/web"],
  ])("%s may not import %s (packages → apps/modules)", async (file, spec) => {
    expect(await importErrors(file, spec)).toEqual([
      expect.stringMatching(/packages\/\* must not depend on modules\/\* or apps\/\*/),
    ]);
  });

  it.each([
    ["modules/chat/server/example.ts", "@ensemble/files/server/routes"],
    ["modules/chat/server/example.ts", "../../files/server/routes.ts"],
    ["modules/boards/web/example.tsx", "@ensemble/chat/web/pages"],
    ["modules/meetings/server/example.ts", "../../docs/server/queries.ts"],
    ["modules/chat/server/handlers/example.ts", "../../../boards/web/board-page.tsx"],
  ])("%s may not import %s (another module's internals)", async (file, spec) => {
    expect(await importErrors(file, spec)).toEqual([expect.stringMatching(/through its shared\/ contract/)]);
  });

  it("a module may not import the composition root", async () => {
    expect(await importErrors("modules/chat/server/example.ts", "@ensemble/server")).toEqual([
      expect.stringMatching(/composition root/),
    ]);
  });

  it.each([
    ["modules/chat/server/example.ts", "@ensemble/files/shared/contract"],
    ["modules/chat/server/example.ts", "@ensemble/kernel"],
    ["modules/chat/server/example.ts", "../shared/events.ts"],
    ["apps/server/src/example.ts", "@ensemble/kernel"],
    ["packages/kernel/src/example.ts", "@ensemble/protocol"],
  ])("%s may import %s", async (file, spec) => {
    expect(await importErrors(file, spec)).toEqual([]);
  });
});
