import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The one module list (`modules.json` at the repository root, or the file
 * named by ENSEMBLE_MODULES), read by the server at start and by the web
 * build (apps/web/scripts/modules-plugin.ts). Node-only and free of server
 * code, so that Vite's config can import it.
 */
export const DEFAULT_MODULE_LIST = fileURLToPath(new URL("../../../modules.json", import.meta.url));

export function moduleListFile(env: Record<string, string | undefined> = process.env): string {
  return env.ENSEMBLE_MODULES ? path.resolve(env.ENSEMBLE_MODULES) : DEFAULT_MODULE_LIST;
}

/** The entries of a list file: package names or folder paths (relative to the file). */
export function readModuleList(file: string = moduleListFile()): string[] {
  const raw: unknown = JSON.parse(readFileSync(file, "utf8"));
  const list = typeof raw === "object" && raw !== null && "modules" in raw ? raw.modules : undefined;
  if (!Array.isArray(list) || !list.every((e): e is string => typeof e === "string" && e.trim() !== ""))
    throw new Error(`${file}: expected { "modules": ["<package name or ./path>", …] }`);
  return list;
}

const isPath = (entry: string) => entry.startsWith(".") || path.isAbsolute(entry);

/**
 * What to import for one side of an entry: `<package>/server` / `<package>/web`
 * for a package name; for a folder, the file its package.json exports as
 * `./server` / `./web` (absolute path). A module has both sides.
 */
export function moduleEntry(entry: string, side: "server" | "web", file: string = moduleListFile()): string {
  if (!isPath(entry)) return `${entry}/${side}`;
  const dir = path.resolve(path.dirname(file), entry);
  const pkg: unknown = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  const exports = typeof pkg === "object" && pkg !== null && "exports" in pkg ? pkg.exports : undefined;
  const target =
    typeof exports === "object" && exports !== null ? (exports as Record<string, unknown>)[`./${side}`] : undefined;
  if (typeof target !== "string") throw new Error(`${dir}/package.json: no "./${side}" export`);
  return path.join(dir, target);
}

/** The folder an entry's sources live in (the web build's staleness check watches it). */
export function moduleFolder(entry: string, file: string = moduleListFile()): string {
  if (isPath(entry)) return path.resolve(path.dirname(file), entry);
  // createRequire rather than import.meta.resolve, which Vitest's module runner lacks.
  let dir = path.dirname(createRequire(import.meta.url).resolve(`${entry}/web`));
  while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
