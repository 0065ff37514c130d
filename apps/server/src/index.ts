export { startServer, runMigrations, allMigrations, type RunningServer } from "./server.ts";
export { modules } from "./modules.ts";
