import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The web never re-derives an authorization rule: what a person may do comes
 * from the server (`actions` on each presented resource, `capabilities` on
 * `/api/me`). Comparing role names in web code is how rules drift from the
 * policy, so any such comparison fails this test.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

function sources(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    if (e === "node_modules" || e === "dist") return [];
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(e) && !/\.test\.tsx?$/.test(e) ? [p] : [];
  });
}

const ROLE_NAMES = "admin|owner|moderator|member|guest";
const quoted = `["'\`](?:${ROLE_NAMES})["'\`]`;
const roleExpr = String.raw`[\w$.?!\[\]]*role\w*`;
const PATTERNS: RegExp[] = [
  // me.role === "admin", role!=='guest', room.membership?.role == `owner`, viewerRole === "owner"
  new RegExp(String.raw`${roleExpr}\s*[!=]==?\s*${quoted}`, "i"),
  // "admin" === me.role
  new RegExp(String.raw`${quoted}\s*[!=]==?\s*${roleExpr}`, "i"),
  // switch (me.role) { case "admin": … }
  new RegExp(String.raw`switch\s*\(\s*${roleExpr}\s*\)`, "i"),
  // ["admin", "owner"].includes(me.role), roles.has(m.role)
  new RegExp(String.raw`\.(?:includes|has|indexOf)\(\s*${roleExpr}\s*\)`, "i"),
  // a role compared with a variable holding a role name: role === ADMIN
  new RegExp(String.raw`\brole\s*[!=]==?\s*[A-Z_]{3,}\b`),
];

function roleComparisons(text: string): string[] {
  return text.split("\n").filter((line) => PATTERNS.some((p) => p.test(line)));
}

describe("no role-name comparison in web code", () => {
  it("the detector catches the usual shapes and lets plain code through", () => {
    for (const bad of [
      `if (me.role === "admin") {`,
      `me?.role !== 'guest' &&`,
      "room.membership?.role === `owner`",
      `const owner = viewerRole == "owner";`,
      `{"moderator" !== m.role && <Badge/>}`,
      `switch (me.role) {`,
      `["admin", "owner"].includes(me.role)`,
      `if (user.Role === "Admin")`,
    ])
      expect(roleComparisons(bad), bad).toHaveLength(1);
    for (const ok of [
      `room.actions.includes("archive")`,
      `me.capabilities.includes("org.administer")`,
      `t(\`roles.\${m.role}\`)`,
      `const kind = m.type === "dm";`,
      `<Select value={m.role} />`,
    ])
      expect(roleComparisons(ok), ok).toEqual([]);
  });

  it("apps/web, modules/*/web and packages/ui hold none", () => {
    const modules = readdirSync(path.join(root, "modules")).map((m) => path.join(root, "modules", m, "web"));
    const files = [path.join(root, "apps/web/src"), path.join(root, "packages/ui"), ...modules].flatMap(sources);
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) =>
      roleComparisons(readFileSync(f, "utf8")).map((line) => `${path.relative(root, f)}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });
});
