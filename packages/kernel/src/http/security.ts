import type { FastifyInstance } from "fastify";
import helmet from "@fastify/helmet";

/**
 * Strict CSP: scripts only from our origin, never inline; no third-party
 * origin for anything (principle 3). Styles allow inline because Mantine
 * injects its CSS variables at run time.
 */
export const CSP_DIRECTIVES: Record<string, string[]> = {
  "default-src": ["'self'"],
  "script-src": ["'self'"],
  "style-src": ["'self'", "'unsafe-inline'"],
  "img-src": ["'self'", "data:", "blob:"],
  "media-src": ["'self'", "blob:"],
  "font-src": ["'self'"],
  "connect-src": ["'self'"],
  "worker-src": ["'self'"],
  "manifest-src": ["'self'"],
  "frame-ancestors": ["'none'"],
  "form-action": ["'self'"],
  "base-uri": ["'self'"],
  "object-src": ["'none'"],
};

/**
 * The same policy as a header set, for the few answers Fastify sends before
 * any hook runs (malformed URLs): they must carry it too.
 */
/**
 * Powerful browser features: the meetings' camera, microphone and screen
 * share for our own pages only (never anything they embed); the rest, which
 * no page uses, off everywhere.
 */
export const PERMISSIONS_POLICY =
  "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), midi=(), interest-cohort=()";

export const FALLBACK_SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": Object.entries(CSP_DIRECTIVES)
    .map(([k, v]) => `${k} ${v.join(" ")}`)
    .join(";"),
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "permissions-policy": PERMISSIONS_POLICY,
};

export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: CSP_DIRECTIVES,
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    // CSP `frame-ancestors 'none'` decides framing; the older header would only say something else.
    xFrameOptions: false,
  });
  app.addHook("onRequest", async (_req, reply) => {
    reply.header("permissions-policy", PERMISSIONS_POLICY);
  });
}
