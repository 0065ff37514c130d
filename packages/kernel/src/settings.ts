import type { Kysely } from "kysely";
import { z, type ZodType } from "zod";
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
const TTL_MS = 5_000;

/** A module's own settings: one JSON row, validated by the module's schema (defaults fill what is missing). */
export interface SettingsNamespace<T> {
  get(): Promise<T>;
  /** Merges, validates the whole and stores it; answers the new value. */
  patch(patch: Partial<T>): Promise<T>;
}

/**
 * Settings live in one row as JSON. Reads are cached per node for a few
 * seconds; another node's change is seen after at most that delay.
 */
export class SettingsStore {
  private cached: { value: OrgSettings; at: number } | null = null;
  private readonly db: Kysely<KernelTables>;
  private readonly namespaces = new Map<string, SettingsNamespace<unknown>>();
  constructor(db: Kysely<KernelTables>) {
    this.db = db;
  }

  /**
   * Typed settings of a module (`k.settings.namespace("chat", chatSettingsSchema)`), cached per node
   * for a few seconds like the organisation's. The name is the row's key: `org` is the kernel's.
   */
  namespace<T>(name: string, schema: ZodType<T>): SettingsNamespace<T> {
    if (name === KEY) throw new Error(`the settings namespace "${KEY}" belongs to the kernel`);
    const known = this.namespaces.get(name);
    if (known) return known as SettingsNamespace<T>;
    let cached: { value: T; at: number } | null = null;
    const get = async (): Promise<T> => {
      if (cached && Date.now() - cached.at < TTL_MS) return cached.value;
      const row = await this.db.selectFrom("settings").select("value").where("key", "=", name).executeTakeFirst();
      const value = schema.parse(row ? JSON.parse(row.value) : {});
      cached = { value, at: Date.now() };
      return value;
    };
    const ns: SettingsNamespace<T> = {
      get,
      patch: async (patch) => {
        const next = schema.parse({ ...(await get()), ...patch });
        await this.write(name, next);
        cached = { value: next, at: Date.now() };
        return next;
      },
    };
    this.namespaces.set(name, ns as SettingsNamespace<unknown>);
    return ns;
  }

  private async write(key: string, value: unknown): Promise<void> {
    const now = new Date().toISOString();
    const json = JSON.stringify(value);
    await this.db
      .insertInto("settings")
      .values({ key, value: json, updated_at: now })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: json, updated_at: now }))
      .execute();
  }

  async get(): Promise<OrgSettings> {
    if (this.cached && Date.now() - this.cached.at < TTL_MS) return this.cached.value;
    const row = await this.db.selectFrom("settings").select("value").where("key", "=", KEY).executeTakeFirst();
    const value = orgSettingsSchema.parse(row ? JSON.parse(row.value) : {});
    this.cached = { value, at: Date.now() };
    return value;
  }

  async update(patch: Partial<OrgSettings>): Promise<OrgSettings> {
    const next = orgSettingsSchema.parse({ ...(await this.get()), ...patch });
    await this.write(KEY, next);
    this.cached = { value: next, at: Date.now() };
    return next;
  }
}
