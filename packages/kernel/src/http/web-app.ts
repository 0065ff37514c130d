import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import fastifyStatic from "@fastify/static";
import type { Kernel } from "../kernel.ts";
import { AppError } from "../errors.ts";
import { logoUrl } from "../branding/branding-module.ts";

/** Paths the single-page app never answers: they belong to the API and the platform. */
const NOT_THE_APP = /^\/(api|ws|collab|healthz|readyz|metrics|remote\.php)(\/|$|\?)/;

/**
 * Serves the built web shell (apps/web/dist) when it exists: hashed assets
 * cached for a year, everything else revalidated, text precompressed; any other GET that accepts
 * HTML gets index.html so that client-side routes survive a reload. Also the
 * web manifest, generated from the organisation settings so that the
 * installed app carries the organisation's name and colour.
 */
export async function installWebApp(app: FastifyInstance, k: Kernel, distDir: string): Promise<boolean> {
  const indexFile = path.join(distDir, "index.html");
  if (!existsSync(indexFile)) return false;
  const indexHtml = readFileSync(indexFile);

  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: distDir,
      wildcard: false,
      index: false,
      decorateReply: false,
      serveDotFiles: false,
      cacheControl: false,
      // The build writes .br and .gz beside each text asset (apps/web/scripts/precompress-plugin.ts): sent as they
      // are when the browser accepts them, with Content-Encoding and Vary: accept-encoding.
      preCompressed: true,
      setHeaders: (reply, filePath) => {
        const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
        reply.header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
      },
    });
  });

  // The shell's pages are not API operations: like /healthz, they stay out of the OpenAPI document (they are
  // registered only when the web build exists, so publishing them made the document depend on a build).
  app.get("/manifest.webmanifest", { schema: { hide: true } }, async (_req, reply) => {
    const s = await k.settings.get();
    reply.header("cache-control", "no-cache").type("application/manifest+json");
    const icons = s.brandLogoKey ? { 192: logoUrl(s, 192)!, 512: logoUrl(s, 512)! } : null;
    return JSON.stringify(webManifest(s.brandName, s.brandColor, s.defaultLocale, icons));
  });

  app.get("/*", { schema: { hide: true } }, async (req, reply) => {
    const accept = req.headers.accept ?? "";
    if (NOT_THE_APP.test(req.url) || !accept.includes("text/html")) throw new AppError("not_found", "no such route");
    return reply.header("cache-control", "no-cache").type("text/html; charset=utf-8").send(indexHtml);
  });
  return true;
}

/** The installed app's manifest; the organisation's logo, when there is one, replaces the default icons. */
export function webManifest(
  name: string,
  color: string,
  lang: string,
  logo: { 192: string; 512: string } | null = null,
) {
  return {
    id: "/",
    name,
    short_name: name.length > 12 ? name.slice(0, 12) : name,
    lang,
    start_url: "/",
    scope: "/",
    display: "standalone",
    display_override: ["window-controls-overlay", "standalone"],
    background_color: "#ffffff",
    theme_color: color,
    icons: [
      { src: logo?.[192] ?? "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: logo?.[512] ?? "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
    protocol_handlers: [{ protocol: "web+ensemble", url: "/open?target=%s" }],
  };
}
