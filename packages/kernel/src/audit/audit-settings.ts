import type { Kysely } from "kysely";
import type { KernelTables } from "../db/tables.ts";

const KEY = "audit";
export interface AuditSettings {
  retentionDays: number;
}
const DEFAULTS: AuditSettings = { retentionDays: 365 };

export async function auditSettings(db: Kysely<KernelTables>): Promise<AuditSettings> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", KEY).executeTakeFirst();
  const stored = row ? (JSON.parse(row.value) as Partial<AuditSettings>) : {};
  return { retentionDays: typeof stored.retentionDays === "number" ? stored.retentionDays : DEFAULTS.retentionDays };
}

export async function saveAuditSettings(db: Kysely<KernelTables>, s: AuditSettings): Promise<AuditSettings> {
  const now = new Date().toISOString();
  const value = JSON.stringify({ retentionDays: s.retentionDays });
  await db
    .insertInto("settings")
    .values({ key: KEY, value, updated_at: now })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_at: now }))
    .execute();
  return { retentionDays: s.retentionDays };
}
