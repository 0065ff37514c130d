import type { FastifyInstance, FastifyPluginCallback, RouteOptions } from "fastify";
import type { Kernel } from "../kernel.ts";
import type { ModuleDefinition } from "../module.ts";
import { checkModuleRoutes } from "../module-namespaces.ts";

const SKIP_OVERRIDE = Symbol.for("skip-override");

/**
 * Runs every module's `routes`, noting which module added each route, and
 * checks them against the declared URL prefixes once every plugin has loaded
 * (an `onReady` hook: `startServer` awaits `ready()` before anything listens).
 * Routes inside a plugin load after the module's `routes` returned, so each
 * plugin a module registers is wrapped to claim the routes of its scope.
 */
export async function registerModuleRoutes(
  app: FastifyInstance,
  kernel: Kernel,
  modules: readonly ModuleDefinition[],
): Promise<void> {
  const added: { route: RouteOptions; owner: string | null }[] = [];
  const pluginOwner = new WeakMap<RouteOptions, string>();
  let owner: string | null = null;
  app.addHook("onRoute", (route) => {
    added.push({ route, owner });
  });
  const original = app.register;
  const register = original as unknown as (
    this: FastifyInstance,
    plugin: FastifyPluginCallback,
    opts?: object,
  ) => unknown;
  for (const m of modules) {
    const name = m.name;
    owner = name;
    const attributing = (plugin: FastifyPluginCallback, opts?: object) => {
      // A plugin that shares its parent's scope (fastify-plugin) is passed as it is: its routes are the module's already.
      if ((plugin as unknown as Record<symbol, unknown>)[SKIP_OVERRIDE]) return register.call(app, plugin, opts);
      const claimed: FastifyPluginCallback = (scope, o, done) => {
        scope.addHook("onRoute", (route) => {
          pluginOwner.set(route, name);
        });
        const r: unknown = plugin(scope, o, done);
        if (r instanceof Promise) r.then(() => done(), done);
      };
      return register.call(app, claimed, opts);
    };
    app.register = attributing as unknown as FastifyInstance["register"];
    try {
      await m.routes?.(app, kernel);
    } finally {
      app.register = original;
    }
  }
  owner = null;
  app.addHook("onReady", async () => {
    const byModule = new Map<string, string[]>();
    for (const { route, owner: at } of added) {
      const who = pluginOwner.get(route) ?? at;
      if (who) byModule.set(who, [...(byModule.get(who) ?? []), route.url]);
    }
    checkModuleRoutes(modules, byModule);
  });
}
