import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify";
import rateLimit from "@fastify/rate-limit";
import type { Kernel } from "../kernel.ts";
import { AppError } from "../errors.ts";
import { credentialKey } from "./rate-key.ts";

/**
 * How a route is rate limited. Every route has a limit: without one it gets
 * the default (`RATE_LIMIT_DEFAULT_PER_MIN` per minute, per credential), and
 * going without is an explicit `{ exempt: "why" }` (probes, metrics, static
 * files).
 */
export type RateLimitSpec =
  | {
      /** Requests per window; RATE_LIMIT_DEFAULT_PER_MIN when omitted. */
      max?: number;
      /** The window in ms or as "1 minute"; one minute when omitted. */
      timeWindow?: number | string;
      /**
       * Who is counted: "credential" (the default) counts the session cookie
       * or Authorization header, and the address of a request with neither;
       * "address" always counts the address (sign-in, where the credential is
       * what is being guessed); a function names its own bucket.
       */
      per?: "credential" | "address" | ((req: FastifyRequest) => string);
    }
  | { exempt: string };

/** What the walk over the routes reads: the limit each route ended up with. */
export interface RouteRateLimit {
  method: string;
  url: string;
  limit: { max: number; timeWindow: number | string; per: "credential" | "address" | "custom" } | { exempt: string };
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** Set by `route()` or `exemptFromRateLimit()`; absent means the default limit. */
    limit?: RateLimitSpec;
  }
  interface FastifyInstance {
    /** Every route's rate limit, in registration order (read by the routes' guard test). */
    rateLimits: RouteRateLimit[];
  }
}

/** Route config for a route registered outside `route()` that takes no limit, saying why. */
export const exemptFromRateLimit = (reason: string): { limit: RateLimitSpec } => ({ limit: { exempt: reason } });

/**
 * Registers the limiter and gives every route registered afterwards its
 * limit: the route's own, or the default. Each route counts apart (one
 * bucket per route and key), in Redis when REDIS_URL is set so that every
 * node of a deployment shares the counts, in memory otherwise.
 */
export async function installRateLimits(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const recorded: RouteRateLimit[] = [];
  app.decorate("rateLimits", recorded);
  // Before the limiter's own onRoute hook, which reads `config.rateLimit`.
  app.addHook("onRoute", (opts: RouteOptions) => {
    const spec: RateLimitSpec = opts.config?.limit ?? {};
    const methods = Array.isArray(opts.method) ? opts.method : [opts.method];
    // A GET's HEAD shadow gets the same limit but is not listed twice.
    const record = (limit: RouteRateLimit["limit"]) => {
      if (!methods.every((m) => m === "HEAD")) recorded.push({ method: methods.join(","), url, limit });
    };
    const url = opts.url;
    if ("exempt" in spec) {
      if (!spec.exempt.trim()) throw new Error(`${methods.join(",")} ${url}: a rate-limit exemption needs a reason`);
      opts.config = { ...opts.config, rateLimit: false };
      record({ exempt: spec.exempt });
      return;
    }
    const max = spec.max ?? kernel.config.RATE_LIMIT_DEFAULT_PER_MIN;
    const timeWindow = spec.timeWindow ?? 60_000;
    const per = spec.per ?? "credential";
    const keyGenerator =
      typeof per === "function"
        ? per
        : per === "address"
          ? (req: FastifyRequest) => req.ip
          : (req: FastifyRequest) => credentialKey(req) ?? req.ip;
    opts.config = { ...opts.config, rateLimit: { max, timeWindow, keyGenerator } };
    record({ max, timeWindow, per: typeof per === "function" ? "custom" : per });
  });
  await app.register(rateLimit, {
    global: false,
    // Shared by every node of this deployment, apart from other deployments on the same Redis.
    ...(kernel.redis ? { redis: kernel.redis, nameSpace: `${kernel.config.REDIS_PREFIX}rl:` } : {}),
    errorResponseBuilder: (_req, ctx) =>
      new AppError("rate_limited", `too many requests, retry in ${Math.ceil(ctx.ttl / 1000)} s`, {
        headers: { "retry-after": String(Math.ceil(ctx.ttl / 1000)) },
      }),
  });
}
