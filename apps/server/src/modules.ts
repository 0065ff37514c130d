import { pathToFileURL } from "node:url";
import path from "node:path";
import type { ModuleDefinition } from "@ensemble/kernel";
import {
  accountsModule,
  realtimeModule,
  auditModule,
  searchModule,
  notificationsModule,
  brandingModule,
  systemModule,
} from "@ensemble/kernel/composition";
import { moduleEntry, moduleListFile, readModuleList } from "./module-list.ts";

/** The kernel's own modules: part of every installation, not in the module list. */
export const builtInModules: readonly ModuleDefinition[] = [
  accountsModule,
  realtimeModule,
  auditModule,
  searchModule,
  notificationsModule,
  brandingModule,
  systemModule,
];

/**
 * The built-in modules followed by the services of a module list
 * (modules.json, or ENSEMBLE_MODULES): each entry's `./server` export is
 * imported and its default export is that service's ModuleDefinition.
 */
export async function loadModules(file: string = moduleListFile()): Promise<ModuleDefinition[]> {
  const services: ModuleDefinition[] = [];
  for (const entry of readModuleList(file)) {
    const target = moduleEntry(entry, "server", file);
    const mod = (await import(path.isAbsolute(target) ? pathToFileURL(target).href : target)) as {
      default?: ModuleDefinition;
    };
    if (!mod.default || typeof mod.default.name !== "string")
      throw new Error(`module list ${file}: ${entry}/server has no default export of a module definition`);
    services.push(mod.default);
  }
  return [...builtInModules, ...services];
}

/** This installation's modules, from the module list. */
export const modules: readonly ModuleDefinition[] = await loadModules();
