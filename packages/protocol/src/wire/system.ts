import { z } from "zod";

const latencyMs = z.number().nullable();

/** System status at a glance for administrators. */
export const systemStatusSchema = z.object({
  version: z.string(),
  node: z.string(),
  uptimeSeconds: z.number(),
  database: z.object({ kind: z.enum(["sqlite", "postgres"]), ok: z.boolean(), latencyMs }),
  /** `ok` is null when Redis is not configured. */
  redis: z.object({ configured: z.boolean(), ok: z.boolean().nullable(), latencyMs }),
  storage: z.object({ kind: z.string(), freeBytes: z.number().nullable(), totalBytes: z.number().nullable() }),
  mail: z.object({ configured: z.boolean() }),
  sso: z.object({ configured: z.boolean(), ssoOnly: z.boolean() }),
  memory: z.object({ rssBytes: z.number(), heapUsedBytes: z.number() }),
  realtime: z.object({ connections: z.number() }),
});
export type SystemStatus = z.output<typeof systemStatusSchema>;
