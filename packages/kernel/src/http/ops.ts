import type { FastifyInstance } from "fastify";
import type { Kernel } from "../kernel.ts";
import { registry } from "../metrics.ts";
import { exemptFromRateLimit } from "./rate-limits.ts";

// Polled by orchestrators and scrapers, answered from memory or one ping: a limit would only make probes flap.
const probe = exemptFromRateLimit("health probe or metrics scrape, polled by the platform");

/** Health, readiness, metrics and the OpenAPI document. */
export function installOps(app: FastifyInstance, kernel: Kernel, isReady: () => Promise<boolean>): void {
  app.get("/healthz", { schema: { hide: true }, config: probe }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true }, config: probe }, async (_req, reply) => {
    let database = false;
    let migrations = false;
    try {
      database = await kernel.database.ping();
      migrations = database && (await isReady());
    } catch {
      database = false;
    }
    const ok = database && migrations;
    return reply.code(ok ? 200 : 503).send({ status: ok ? "ready" : "not ready", database, migrations });
  });
  app.get("/metrics", { schema: { hide: true }, config: probe }, async (_req, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
