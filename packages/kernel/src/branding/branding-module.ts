import type { FastifyInstance } from "fastify";
import sharp from "sharp";
import { z } from "zod";
import { uuidv7 } from "@ensemble/protocol";
import { defineModule } from "../module.ts";
import { noContent, rawResponse, route } from "../http/route.ts";
import { AppError } from "../errors.ts";
import { authorizeOrg, OrgResource } from "../authz/organisation.ts";
import { recordEvent, type TransactionLike } from "../events/record-event.ts";
import type { OrgSettings } from "../settings.ts";
import type { Kernel } from "../kernel.ts";
import { brandingEvents } from "./branding-events.ts";
import { brandingSchema, type Branding } from "@ensemble/protocol/wire/branding";

/** Every signed-in person follows the organisation's branding, so that a change re-themes open pages at once. */
export const BRANDING_TOPIC = "org:branding";
export const BRANDING_EVENT = brandingEvents.brandingUpdated.name;

const LOGO_TYPES = ["image/png", "image/jpeg", "image/webp"];
const LOGO_MAX_BYTES = 2 * 1024 * 1024;
const LOGO_SIZE = 512;

export const logoUrl = (s: OrgSettings, size?: number): string | null =>
  s.brandLogoKey
    ? `/api/branding/logo?v=${encodeURIComponent(s.brandLogoKey.slice(-12))}${size ? `&size=${size}` : ""}`
    : null;

export const presentBranding = (s: OrgSettings): Branding => ({
  name: s.brandName,
  color: s.brandColor,
  defaultLocale: s.defaultLocale,
  logoUrl: logoUrl(s),
});

const BRANDING_FIELDS = ["brandName", "brandColor", "defaultLocale", "brandLogoKey"] as const;

/**
 * Records `accounts.branding.updated` on the `org:branding` topic when a
 * settings change touched the branding; the realtime module fans it out.
 */
export async function recordBrandingChange(
  db: TransactionLike,
  actorId: string,
  before: OrgSettings,
  after: OrgSettings,
): Promise<void> {
  if (BRANDING_FIELDS.every((f) => before[f] === after[f])) return;
  await recordEvent(db, { name: BRANDING_EVENT, actorId, payload: presentBranding(after), topics: [BRANDING_TOPIC] });
}

/** Decodes, checks and re-encodes: a square PNG with a transparent margin, nothing the client sent is kept as is. */
async function toLogo(input: Buffer): Promise<Buffer> {
  try {
    const img = sharp(input, { limitInputPixels: 40_000_000, failOn: "error" });
    const meta = await img.metadata();
    if (!meta.format || !["png", "jpeg", "webp"].includes(meta.format)) throw new Error("format");
    return await img
      .rotate()
      .resize(LOGO_SIZE, LOGO_SIZE, { fit: "contain", background: { r: 0, g: 0, b: 0, alpha: 0 } })
      .png({ compressionLevel: 9 })
      .toBuffer();
  } catch {
    throw new AppError("invalid_image", "this image could not be read");
  }
}

function brandingRoutes(app: FastifyInstance, k: Kernel): void {
  const publicLimit = { max: k.config.RATE_LIMIT_PUBLIC_PER_MIN, timeWindow: 60_000, per: "address" as const };

  route(app, {
    method: "GET",
    url: "/api/branding",
    summary: "The organisation's branding for every page, signed in or not: name, colour, default language, logo",
    tags: ["settings"],
    auth: "none",
    response: brandingSchema,
    rateLimit: publicLimit,
    handler: async () => presentBranding(await k.settings.get()),
  });

  route(app, {
    method: "GET",
    url: "/api/branding/logo",
    summary: "The organisation's logo (PNG), optionally resized (size = 16…512)",
    tags: ["settings"],
    auth: "none",
    response: rawResponse("image/png", "The logo, PNG"),
    query: z.object({
      v: z.string().max(40).optional(),
      size: z.coerce.number().int().min(16).max(LOGO_SIZE).optional(),
    }),
    handler: async ({ query, reply }) => {
      const s = await k.settings.get();
      const stream = s.brandLogoKey ? await k.blobs.get(s.brandLogoKey) : null;
      if (!s.brandLogoKey || !stream) throw new AppError("not_found", "no logo");
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      let png = Buffer.concat(chunks);
      if (query.size && query.size !== LOGO_SIZE)
        png = await sharp(png).resize(query.size, query.size).png().toBuffer();
      // The URL carries the logo's version: a versioned request may be cached for a day.
      reply
        .header("cache-control", query.v ? "public, max-age=86400" : "no-cache")
        .header("x-content-type-options", "nosniff");
      return reply.type("image/png").send(png);
    },
  });

  // The raw image body needs its own parser and size limit, so these routes live in their own scope.
  void app.register(async (scope) => {
    scope.addContentTypeParser(LOGO_TYPES, { parseAs: "buffer", bodyLimit: LOGO_MAX_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    route(scope, {
      method: "PUT",
      url: "/api/admin/branding/logo",
      summary: "Upload the organisation's logo (PNG, JPEG or WebP body, at most 2 MB); stored as a 512×512 PNG",
      tags: ["admin"],
      auth: "user",
      response: brandingSchema,
      handler: async ({ actor, req }) => {
        await authorizeOrg(k, actor, OrgResource, "administer");
        if (!Buffer.isBuffer(req.body)) throw new AppError("unsupported_media_type", "send a PNG, JPEG or WebP image");
        const png = await toLogo(req.body);
        const key = `branding/logo-${uuidv7()}.png`;
        await k.blobs.put(key, png);
        const before = await k.settings.get();
        const after = await k.settings.update({ brandLogoKey: key });
        await recordBrandingChange(k.db, actor.id, before, after);
        if (before.brandLogoKey) await k.blobs.delete(before.brandLogoKey);
        return presentBranding(after);
      },
    });
  });

  route(app, {
    method: "DELETE",
    url: "/api/admin/branding/logo",
    summary: "Remove the organisation's logo",
    tags: ["admin"],
    auth: "user",
    response: noContent,
    handler: async ({ actor }) => {
      await authorizeOrg(k, actor, OrgResource, "administer");
      const before = await k.settings.get();
      if (!before.brandLogoKey) return undefined;
      const after = await k.settings.update({ brandLogoKey: null });
      await recordBrandingChange(k.db, actor.id, before, after);
      await k.blobs.delete(before.brandLogoKey);
      return undefined;
    },
  });
}

/** The `org:` topic family (readable by anyone signed in, guests included: they see the same brand) and the branding routes. */
export const brandingModule = defineModule({
  name: "branding",
  events: Object.values(brandingEvents),
  topics: () => [{ prefix: "org:", authorizeTopic: async (_actor, topic) => topic === BRANDING_TOPIC }],
  routes: (app, k) => brandingRoutes(app, k),
});
