import type { Plugin } from "vite";
import { moduleEntry, moduleListFile, readModuleList } from "@ensemble/server/module-list";

const ID = "virtual:ensemble-modules";
const RESOLVED = `\0${ID}`;

/**
 * `import manifests from "virtual:ensemble-modules"`: the web manifest of
 * every service in the module list (modules.json, or the file named by
 * ENSEMBLE_MODULES), in list order. Each manifest is imported statically
 * (labels, icons, loaders); its parts are dynamic imports, so each lands in
 * a chunk of its own.
 */
export function ensembleModules(): Plugin {
  return {
    name: "ensemble-modules",
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    load(id) {
      if (id !== RESOLVED) return undefined;
      const file = moduleListFile();
      this.addWatchFile(file);
      const entries = readModuleList(file).map((e) => moduleEntry(e, "web", file));
      return [
        ...entries.map((target, i) => `import m${i} from ${JSON.stringify(target)};`),
        `export default [${entries.map((_, i) => `m${i}`).join(", ")}];`,
      ].join("\n");
    },
  };
}
