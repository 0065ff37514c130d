import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z, type ZodType } from "zod";
import { AppError } from "../errors.ts";
import { hasScope, type Actor, type Scope, type UserActor } from "../authz/actor.ts";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

const CREDENTIALS = [{ session: [] }, { bearer: [] }, { basic: [] }];

export interface RouteContext<B, Q, P, A extends Actor> {
  actor: A;
  body: B;
  query: Q;
  params: P;
  req: FastifyRequest;
  reply: FastifyReply;
}

interface RouteBase<B, Q, P> {
  method: Method;
  url: string;
  summary: string;
  tags?: string[];
  /** Token scope required; defaults to "read" for GET and "write" otherwise. */
  scope?: Scope;
  rateLimit?: { max: number; timeWindow: number | string; keyGenerator?: (req: FastifyRequest) => string };
  body?: ZodType<B>;
  query?: ZodType<Q>;
  params?: ZodType<P>;
  /** Documented response body, for the OpenAPI description. */
  response?: ZodType;
  /** Skip the CSRF check: only for routes that authenticate otherwise (webhooks). */
  csrfExempt?: boolean;
  /** Also accept an urlencoded form body (Slack-style webhooks). JSON only otherwise: see `requireJson`. */
  formBody?: boolean;
}

export type RouteDef<B, Q, P> =
  | (RouteBase<B, Q, P> & { auth: "user"; handler: (c: RouteContext<B, Q, P, UserActor>) => Promise<unknown> })
  | (RouteBase<B, Q, P> & {
      auth: "optional" | "none";
      handler: (c: RouteContext<B, Q, P, Actor>) => Promise<unknown>;
    });

/**
 * Every endpoint goes through the same pipeline: rate limit → authenticate
 * (onRequest hook) → validate (zod) → handler (load, authorize, mutate, present).
 * Returning `undefined` answers 204; anything else is sent as JSON.
 */
export function route<B = undefined, Q = undefined, P = undefined>(app: FastifyInstance, def: RouteDef<B, Q, P>): void {
  const scope: Scope = def.scope ?? (def.method === "GET" ? "read" : "write");
  app.route({
    method: def.method,
    url: def.url,
    schema: {
      summary: def.summary,
      tags: def.tags ?? [],
      ...(def.body ? { body: def.body } : {}),
      ...(def.query ? { querystring: def.query } : {}),
      ...(def.params ? { params: def.params } : {}),
      ...(def.response ? { response: { 200: def.response } } : {}),
      // Published so clients (and the robustness test) know which credentials an operation takes.
      security: def.auth === "user" ? CREDENTIALS : def.auth === "optional" ? [{}, ...CREDENTIALS] : [],
      ...(def.csrfExempt ? { "x-csrf-exempt": true } : {}),
    },
    ...(def.body && !def.formBody ? { preValidation: requireJson } : {}),
    config: {
      csrfExempt: def.csrfExempt === true,
      ...(def.rateLimit ? { rateLimit: def.rateLimit } : {}),
    },
    handler: async (req, reply) => {
      const actor = req.actor;
      if (def.auth === "user") {
        if (actor.kind !== "user") throw new AppError("unauthenticated", "sign in to continue");
        if (!hasScope(actor, scope)) throw new AppError("forbidden", `this token lacks the ${scope} scope`);
      }
      const ctx = {
        actor,
        body: req.body as B,
        query: req.query as Q,
        params: req.params as P,
        req,
        reply,
      };
      const result = await (def.handler as (c: typeof ctx) => Promise<unknown>)(ctx);
      if (reply.sent) return reply;
      if (result === undefined) return reply.code(204).send();
      return result;
    },
  });
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/**
 * A route with a JSON body takes only JSON. Another site's HTML form can post
 * urlencoded, multipart or text/plain bodies without a CORS preflight; for
 * routes that need no CSRF token (anonymous ones: sign-in, invitation
 * accept) that would allow login CSRF. JSON cannot be sent cross-site
 * without a preflight, which we never grant.
 */
async function requireJson(req: FastifyRequest): Promise<void> {
  const type = req.headers["content-type"];
  if (type !== undefined && !JSON_TYPE.test(type)) {
    throw new AppError("unsupported_media_type", "send the body as application/json");
  }
}

/** Zod schemas as Fastify validators; errors carry field paths for problem+json. */
export function zodValidatorCompiler({ schema }: { schema: unknown }) {
  const zs = schema as ZodType;
  return (data: unknown) => {
    const r = zs.safeParse(data);
    if (r.success) return { value: r.data };
    const err = new AppError("validation", "the request is not valid", {
      errors: r.error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: i.message })),
    });
    return { error: err };
  };
}

/** Used by @fastify/swagger to publish the zod schemas as JSON Schema. */
export function zodToOpenApi(schema: unknown): unknown {
  if (schema && typeof schema === "object" && "safeParse" in schema) {
    try {
      return z.toJSONSchema(schema as ZodType, { io: "input", unrepresentable: "any" });
    } catch {
      return {};
    }
  }
  return schema;
}
