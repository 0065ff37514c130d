/**
 * Runs before `npm start`: builds the web shell when apps/web/dist is missing
 * or older than any of its sources, so that the start command always serves
 * the current UI while an unchanged tree starts at once.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { moduleFolder, moduleListFile, readModuleList } from "@ensemble/server/module-list";

const web = fileURLToPath(new URL("..", import.meta.url));
const built = path.join(web, "dist", "index.html");
const packagesDir = path.join(web, "..", "..", "packages");
// The module list and each listed service's UI (its web/ and the shared/ contract it imports) are part of the build
// too, and so is packages/ui.
const list = moduleListFile();
const moduleSources = [
  list,
  path.join(packagesDir, "ui", "src"),
  ...readModuleList(list).flatMap((e) => ["web", "shared"].map((d) => path.join(moduleFolder(e, list), d))),
];
const sources = [
  ...["src", "public", "index.html", "vite.config.ts", "package.json", "scripts"].map((p) => path.join(web, p)),
  ...moduleSources,
];

function newest(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const e of readdirSync(p)) max = Math.max(max, newest(path.join(p, e)));
  return max;
}

export function webBuildIsStale(): boolean {
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return sources.some((s) => newest(s) > builtAt);
}

/**
 * Builds the shell into apps/web/dist, or into `outDir` with the services of
 * another module list (a test that adds a fixture module).
 */
export function buildWeb(opts: { outDir?: string; moduleList?: string } = {}): void {
  const vite = fileURLToPath(new URL("../../../node_modules/vite/bin/vite.js", import.meta.url));
  // Vitest sets NODE_ENV=test, which would make Vite ship React's development build (jsx-dev-runtime, ~35 KB more).
  const env = {
    ...process.env,
    NODE_ENV: "production",
    ...(opts.moduleList ? { ENSEMBLE_MODULES: opts.moduleList } : {}),
  };
  const args = [vite, "build", "--logLevel", "warn", ...(opts.outDir ? ["--outDir", opts.outDir] : [])];
  const r = spawnSync(process.execPath, args, { cwd: web, stdio: "inherit", env });
  if (r.status !== 0) throw new Error(`the web build failed (exit ${r.status})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (webBuildIsStale()) {
    process.stdout.write("Building the web app (apps/web/dist)…\n");
    buildWeb();
  }
}
