import type { FastifyRequest } from "fastify";

/** Route parameters that carry a credential (`/hooks/:id/:secret`, `/hooks/commands/:token`). */
const SECRET_PARAM = /secret|token|password|code|key/i;
/** In a path no route matched, a segment this long may be a mistyped credential. */
const LONG_SEGMENT = 16;
/**
 * A 256-bit token as `randomToken` writes it: masked wherever it stands, since a page of the web
 * shell (a public link's `/s/<token>`) is matched by its catch-all route, whose segments are kept.
 */
const TOKEN_SEGMENT = /^[A-Za-z0-9_-]{43}$/;

/**
 * The request path as logged: no query string, and every segment that
 * stands for a credential replaced — by the matched route's parameter names,
 * or for an unmatched path, any long segment past the first two.
 */
export function loggedPath(req: Pick<FastifyRequest, "url"> & { routeOptions?: { url?: string } }): string {
  const segments = (req.url.split("?")[0] ?? "").split("/");
  const pattern = req.routeOptions?.url?.split("/");
  const masked = segments.map((seg, i) => {
    if (TOKEN_SEGMENT.test(seg)) return "[redacted]";
    if (!pattern) return i > 2 && seg.length >= LONG_SEGMENT ? "[redacted]" : seg;
    if (pattern.slice(0, i + 1).some((p) => p.includes("*"))) return seg;
    const p = pattern[i] ?? "";
    return p.startsWith(":") && SECRET_PARAM.test(p) ? "[redacted]" : seg;
  });
  return masked.join("/");
}

/**
 * Pino options shared by the server and the CLI. Request URLs are logged
 * without their query string (OIDC codes, states and tokens travel there) nor
 * secret path segments, and credentials are redacted wherever they appear.
 */
export function loggerOptions(level: string) {
  return {
    level,
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        "*.password",
        "*.token",
        "*.secret",
      ],
      censor: "[redacted]",
    },
    serializers: {
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: loggedPath(req),
        remoteAddress: req.ip,
      }),
    },
  };
}
