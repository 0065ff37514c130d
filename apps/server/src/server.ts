import type { FastifyInstance } from "fastify";
import {
  buildHttpApp,
  checkModuleNamespaces,
  createdTablesCheck,
  createKernel,
  kernelMigrations,
  migrateToLatest,
  migrationsApplied,
  type Config,
  type Kernel,
  type ModuleDefinition,
  orderHistories,
  type MigrationHistory,
} from "@ensemble/kernel";
import type { Logger } from "pino";
import { modules as defaultModules } from "./modules.ts";
import { fileURLToPath } from "node:url";
import { installWebApp } from "@ensemble/kernel/composition";

/** The web shell's production build, served at / when it has been built. */
const webDist = fileURLToPath(new URL("../../web/dist", import.meta.url));

export interface RunningServer {
  app: FastifyInstance;
  kernel: Kernel;
  /** Base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  close(): Promise<void>;
}

/** The kernel's history then each module's, in the order they run. */
export function migrationHistories(modules: readonly ModuleDefinition[]): MigrationHistory[] {
  return orderHistories(kernelMigrations, modules);
}

export async function runMigrations(kernel: Kernel, modules: readonly ModuleDefinition[] = defaultModules) {
  return migrateToLatest(kernel.db as never, kernel.database.kind, migrationHistories(modules), {
    checkCreatedTables: createdTablesCheck(modules),
  });
}

/**
 * Starts the whole suite in this process: kernel, migrations, every module's
 * policies, routes and start hooks, then listens.
 */
export async function startServer(
  config: Config,
  opts: { modules?: readonly ModuleDefinition[]; log?: Logger; listen?: boolean; webDist?: string } = {},
): Promise<RunningServer> {
  const modules = opts.modules ?? defaultModules;
  const kernel = await createKernel(config, opts.log);
  let histories: MigrationHistory[];
  try {
    // Before anything is written: modules written apart must not claim the same topics, names, URLs or tables.
    checkModuleNamespaces(modules, kernel);
    for (const m of modules) if (m.problemCodes) kernel.problems.register(m.name, m.problemCodes);
    histories = migrationHistories(modules);
    await runMigrations(kernel, modules);
  } catch (e) {
    await kernel.close();
    throw e;
  }
  let migrated = true;
  for (const m of modules) m.policies?.(kernel);
  for (const m of modules) {
    for (const p of m.searchProviders?.(kernel) ?? []) kernel.search.register(p);
    if (m.calls) kernel.calls.provide(m.calls(kernel));
    for (const n of m.notificationKinds ?? []) kernel.notifications.defineKind(n);
    if (m.auditableEvents) kernel.auditTrail.mirror(m.auditableEvents);
  }
  for (const m of modules) {
    for (const t of m.topics?.(kernel) ?? []) kernel.realtime.defineTopics(t);
    for (const h of m.eventHandlers?.(kernel) ?? []) kernel.events.register(h);
  }
  let app: FastifyInstance;
  try {
    // Refused (before anything listens) when a module's routes leave its URL prefixes or enter another's.
    app = await buildHttpApp(
      kernel,
      modules,
      async () => migrated && (await migrationsApplied(kernel.db as never, histories)),
    );
    await installWebApp(app, kernel, opts.webDist ?? webDist);
    // Every plugin loaded: the routes' check against the modules' URL prefixes runs here (onReady).
    await app.ready();
  } catch (e) {
    await kernel.close();
    throw e;
  }
  for (const m of modules) await m.start?.(kernel);
  // Listening on the cluster bus before accepting sockets; the dispatcher drains what a crash left behind.
  await kernel.cluster.ready();
  kernel.realtime.start();
  kernel.jobs.start();
  await kernel.events.start();
  let url = "";
  if (opts.listen !== false) {
    url = await app.listen({ port: config.PORT, host: config.HOST });
    url = url.replace("[::1]", "127.0.0.1").replace("0.0.0.0", "127.0.0.1");
  }
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      migrated = false;
      // Clients are told to reconnect (close 4012) before the node stops: they resume elsewhere.
      await kernel.realtime.shutdown();
      await app.close();
      await kernel.events.stop();
      await kernel.jobs.stop();
      for (const m of [...modules].reverse()) await m.stop?.(kernel);
      await kernel.close();
    })();
    return closing;
  };
  return { app, kernel, url, close };
}
