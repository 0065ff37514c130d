import { readFileSync } from "node:fs";
import { statfs } from "node:fs/promises";
import { defineModule } from "../module.ts";
import { route } from "../http/route.ts";
import { authorizeOrg, OrgResource } from "../authz/organisation.ts";
import { wsConnections } from "../metrics.ts";
import type { Kernel } from "../kernel.ts";
import { systemStatusSchema, type SystemStatus } from "@ensemble/protocol/wire/system";

const VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

async function timed(check: () => Promise<unknown>): Promise<{ ok: boolean; latencyMs: number | null }> {
  const started = performance.now();
  try {
    await check();
    return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch {
    return { ok: false, latencyMs: null };
  }
}

/** System status at a glance for administrators: versions, database, Redis, storage, memory, connections. */
export async function systemStatus(k: Kernel): Promise<SystemStatus> {
  const fs = await statfs(k.config.dataDir).catch(() => null);
  const mem = process.memoryUsage();
  const ws = await wsConnections.get();
  return {
    version: VERSION,
    node: process.version,
    uptimeSeconds: Math.round(process.uptime()),
    database: { kind: k.database.kind, ...(await timed(() => k.database.ping())) },
    redis: k.redis
      ? { configured: true, ...(await timed(() => k.redis!.ping())) }
      : { configured: false, ok: null, latencyMs: null },
    storage: {
      kind: "disk",
      freeBytes: fs ? fs.bavail * fs.bsize : null,
      totalBytes: fs ? fs.blocks * fs.bsize : null,
    },
    mail: { configured: Boolean(k.config.SMTP_URL) },
    sso: { configured: Boolean(k.config.OIDC_ISSUER), ssoOnly: k.config.SSO_ONLY },
    memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed },
    realtime: { connections: ws.values.reduce((s, v) => s + v.value, 0) },
  };
}

export const systemModule = defineModule({
  name: "system",
  routes: (app, k) => {
    route(app, {
      method: "GET",
      url: "/api/admin/status",
      summary: "System status at a glance: versions, database, Redis, storage, memory, realtime connections",
      tags: ["admin"],
      auth: "user",
      response: systemStatusSchema,
      handler: async ({ actor }) => {
        await authorizeOrg(k, actor, OrgResource, "administer");
        return systemStatus(k);
      },
    });
  },
});
