import { z } from "zod";

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string(), username: z.string().nullable() }).nullable(),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  ip: z.string().nullable(),
  /** What the recording code chose to keep (never secrets); its shape depends on the action. */
  details: z.unknown(),
});
export type AuditEntry = z.output<typeof auditEntrySchema>;
export const auditSettingsSchema = z.object({ retentionDays: z.number() });
