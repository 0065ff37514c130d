import type { FastifyInstance } from "fastify";
import {
  buildHttpApp,
  checkModuleNamespaces,
  createKernel,
  kernelMigrations,
  migrateToLatest,
  migrationsApplied,
  type Config,
  type Kernel,
  type ModuleDefinition,
  type NamedMigration,
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

export function allMigrations(modules: readonly ModuleDefinition[]): NamedMigration[] {
  return [...kernelMigrations, ...modules.flatMap((m) => m.migrations ?? [])].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
}

export async function runMigrations(kernel: Kernel, modules: readonly ModuleDefinition[] = defaultModules) {
  return migrateToLatest(kernel.db as never, kernel.database.kind, allMigrations(modules));
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
  try {
    // Before anything is written: modules written apart must not claim the same topics, names, URLs or tables.
    checkModuleNamespaces(modules, kernel);
  } catch (e) {
    await kernel.close();
    throw e;
  }
  const migrations = allMigrations(modules);
  await migrateToLatest(kernel.db as never, kernel.database.kind, migrations);
  let migrated = true;
  for (const m of modules) m.policies?.(kernel);
  for (const m of modules) {
    for (const p of m.searchProviders?.(kernel) ?? []) kernel.search.register(p);
    for (const n of m.notificationKinds ?? []) kernel.notifications.defineKind(n);
    if (m.auditableEvents) kernel.auditTrail.mirror(m.auditableEvents);
  }
  for (const m of modules) {
    for (const t of m.topics?.(kernel) ?? []) kernel.realtime.defineTopics(t);
    for (const h of m.eventHandlers?.(kernel) ?? []) kernel.events.register(h);
  }
  const app = await buildHttpApp(
    kernel,
    modules,
    async () => migrated && (await migrationsApplied(kernel.db as never, migrations)),
  );
  await installWebApp(app, kernel, opts.webDist ?? webDist);
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
