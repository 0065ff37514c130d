import type { FastifyRequest } from "fastify";

/**
 * Pino options shared by the server and the CLI. Request URLs are logged
 * without their query string (OIDC codes, states and tokens travel there) and
 * credentials are redacted wherever they appear.
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
        url: req.url.split("?")[0],
        remoteAddress: req.ip,
      }),
    },
  };
}
