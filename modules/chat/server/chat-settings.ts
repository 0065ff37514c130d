import type { Kernel } from "@ensemble/kernel";
import { chatSettingsSchema, type ChatSettings } from "../shared/settings.ts";

const KEY = "chat";
const TTL_MS = 5_000;
const cache = new WeakMap<Kernel, { value: ChatSettings; at: number }>();

/** Chat settings live in the kernel `settings` table under `chat`; cached per node for a few seconds like the org settings. */
export async function getChatSettings(k: Kernel): Promise<ChatSettings> {
  const hit = cache.get(k);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const row = await k.db.selectFrom("settings").select("value").where("key", "=", KEY).executeTakeFirst();
  const value = chatSettingsSchema.parse(row ? JSON.parse(row.value) : {});
  cache.set(k, { value, at: Date.now() });
  return value;
}

export async function updateChatSettings(k: Kernel, patch: Partial<ChatSettings>): Promise<ChatSettings> {
  const next = chatSettingsSchema.parse({ ...(await getChatSettings(k)), ...patch });
  const now = new Date().toISOString();
  await k.db
    .insertInto("settings")
    .values({ key: KEY, value: JSON.stringify(next), updated_at: now })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(next), updated_at: now }))
    .execute();
  cache.set(k, { value: next, at: Date.now() });
  return next;
}
