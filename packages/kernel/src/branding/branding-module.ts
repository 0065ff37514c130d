import { defineModule } from "../module.ts";
import { recordEvent, type TransactionLike } from "../events/record-event.ts";
import type { OrgSettings } from "../settings.ts";

/** Every signed-in person follows the organisation's branding, so that a change re-themes open pages at once. */
export const BRANDING_TOPIC = "org:branding";
export const BRANDING_EVENT = "accounts.branding.updated";

export interface BrandingPayload {
  brandName: string;
  brandColor: string;
  defaultLocale: "fr" | "en";
}

const BRANDING_FIELDS = ["brandName", "brandColor", "defaultLocale"] as const;

/**
 * Records `accounts.branding.updated` on the `org:branding` topic when a
 * settings change touched the branding; the realtime module fans it out.
 */
export async function recordBrandingChange(db: TransactionLike, actorId: string, before: OrgSettings, after: OrgSettings): Promise<void> {
  if (BRANDING_FIELDS.every((f) => before[f] === after[f])) return;
  const payload: BrandingPayload = { brandName: after.brandName, brandColor: after.brandColor, defaultLocale: after.defaultLocale };
  await recordEvent(db, { name: BRANDING_EVENT, actorId, payload, topics: [BRANDING_TOPIC] });
}

/** The `org:` topic family: readable by anyone signed in (guests included: they see the same brand). */
export const brandingModule = defineModule({
  name: "branding",
  topics: () => [{ prefix: "org:", authorizeTopic: async (_actor, topic) => topic === BRANDING_TOPIC }],
});
