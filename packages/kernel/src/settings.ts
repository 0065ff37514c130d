import type { Kysely } from "kysely";
import { z } from "zod";
import type { KernelTables } from "./db/tables.ts";

/** Organisation-wide settings an administrator changes at run time. */
export const orgSettingsSchema = z.object({
  membersCanInvite: z.boolean().default(true),
  membersCanCreateGroups: z.boolean().default(true),
  requireTwoFactor: z.enum(["off", "admins", "everyone"]).default("off"),
  brandName: z.string().min(1).max(80).default("Ensemble"),
  brandColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .default("#000091"),
  brandLogoKey: z.string().nullable().default(null),
  defaultLocale: z.enum(["fr", "en"]).default("fr"),
});
export type OrgSettings = z.infer<typeof orgSettingsSchema>;

const KEY = "org";

/**
 * Settings live in one row as JSON. Reads are cached per node for a few
 * seconds; another node's change is seen after at most that delay.
 */
export class SettingsStore {
  private cached: { value: OrgSettings; at: number } | null = null;
  private readonly db: Kysely<KernelTables>;
  constructor(db: Kysely<KernelTables>) {
    this.db = db;
  }

  async get(): Promise<OrgSettings> {
    if (this.cached && Date.now() - this.cached.at < 5_000) return this.cached.value;
    const row = await this.db.selectFrom("settings").select("value").where("key", "=", KEY).executeTakeFirst();
    const value = orgSettingsSchema.parse(row ? JSON.parse(row.value) : {});
    this.cached = { value, at: Date.now() };
    return value;
  }

  async update(patch: Partial<OrgSettings>): Promise<OrgSettings> {
    const next = orgSettingsSchema.parse({ ...(await this.get()), ...patch });
    const now = new Date().toISOString();
    await this.db
      .insertInto("settings")
      .values({ key: KEY, value: JSON.stringify(next), updated_at: now })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(next), updated_at: now }))
      .execute();
    this.cached = { value: next, at: Date.now() };
    return next;
  }
}
