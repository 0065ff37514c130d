import type { FastifyInstance } from "fastify";
import type { Kernel } from "../kernel.ts";
import { registry } from "../metrics.ts";

/** Health, readiness, metrics and the OpenAPI document. */
export function installOps(app: FastifyInstance, kernel: Kernel, isReady: () => Promise<boolean>): void {
  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, async (_req, reply) => {
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
  app.get("/metrics", { schema: { hide: true } }, async (_req, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
