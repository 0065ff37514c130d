export { startServer, runMigrations, migrationHistories, type RunningServer } from "./server.ts";
export { builtInModules, loadModules, modules } from "./modules.ts";
export { moduleListFile, readModuleList } from "./module-list.ts";
