import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z, type ZodType } from "zod";
import { AppError } from "../errors.ts";
import { hasScope, type Actor, type Scope, type UserActor } from "../authz/actor.ts";
import type { RateLimitSpec } from "./rate-limits.ts";
import { clientKeyOf } from "./idempotency.ts";

/** HEAD for protocols that use it on its own (tus asks an upload's offset with it). */
type Method = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

const CREDENTIALS = [{ session: [] }, { bearer: [] }, { basic: [] }];

export interface RouteContext<B, Q, P, A extends Actor> {
  actor: A;
  body: B;
  query: Q;
  params: P;
  req: FastifyRequest;
  reply: FastifyReply;
}

/** A route that answers 204 with no body: its handler returns nothing. */
export const noContent = { kind: "no-content" } as const;
export type NoContent = typeof noContent;

/** A route that sends its own body (an image, a file, CSV) or redirects: the handler answers through `reply`. */
export interface RawResponse {
  kind: "raw";
  /** Null for a redirect, which has no body. */
  contentType: string | null;
  description: string;
  status: number;
}
export const rawResponse = (contentType: string | null, description: string, status = 200): RawResponse => ({
  kind: "raw",
  contentType,
  description,
  status,
});

/** What a route answers: a JSON body through its schema, nothing (204), or a body it sends itself. */
export type ResponseSpec = ZodType | NoContent | RawResponse;

/** The handler's result is checked against the schema's input; what is sent is the schema's output. */
export type HandlerResult<R> = R extends ZodType
  ? z.input<R>
  : R extends NoContent
    ? void
    : R extends RawResponse
      ? unknown
      : unknown;

interface RouteBase<B, Q, P, R> {
  method: Method;
  url: string;
  summary: string;
  tags?: string[];
  /** Token scope required; defaults to "read" for GET and "write" otherwise. */
  scope?: Scope;
  /**
   * This route's rate limit; the default (per credential, RATE_LIMIT_DEFAULT_PER_MIN
   * a minute) when omitted. Going without is `{ exempt: "why" }`.
   */
  rateLimit?: RateLimitSpec;
  /**
   * Client-key idempotency: a request carrying an Idempotency-Key header (or
   * a `clientKey` in its body) is run once per user and key; a retry gets
   * the first answer again, the same key with another request a 422
   * `idempotency_key_reused`. For signed-in routes answering JSON or 204.
   */
  idempotent?: boolean;
  body?: ZodType<B>;
  query?: ZodType<Q>;
  params?: ZodType<P>;
  /**
   * The answer's schema. A JSON result is serialised through it: fields it
   * does not name are dropped, so a presenter cannot leak by accident.
   */
  response: R;
  /** Status of a successful JSON answer (201 for a creation); 200 by default. */
  status?: 200 | 201 | 202;
  /** Skip the CSRF check: only for routes that authenticate otherwise (webhooks). */
  csrfExempt?: boolean;
  /** Also accept an urlencoded form body (Slack-style webhooks). JSON only otherwise: see `requireJson`. */
  formBody?: boolean;
  /** A larger body than the app's 1 MiB (an import file); a bigger one is answered 413 before it is read. */
  bodyLimit?: number;
}

export type RouteDef<B, Q, P, R extends ResponseSpec = ResponseSpec> =
  | (RouteBase<B, Q, P, R> & {
      auth: "user";
      handler: (c: RouteContext<B, Q, P, UserActor>) => Promise<HandlerResult<R>>;
    })
  | (RouteBase<B, Q, P, R> & {
      auth: "optional" | "none";
      handler: (c: RouteContext<B, Q, P, Actor>) => Promise<HandlerResult<R>>;
    });

/**
 * Every endpoint goes through the same pipeline: rate limit → authenticate
 * (onRequest hook) → validate (zod) → handler (load, authorize, mutate) →
 * present (the result parsed by the response schema, then sent as JSON).
 * Returning `undefined` answers 204.
 */
export function route<B = undefined, Q = undefined, P = undefined, R extends ResponseSpec = ResponseSpec>(
  app: FastifyInstance,
  def: RouteDef<B, Q, P, R>,
): void {
  const scope: Scope = def.scope ?? (def.method === "GET" || def.method === "HEAD" ? "read" : "write");
  const response: ResponseSpec = def.response;
  const body = isZod(response) ? response : undefined;
  const status = def.status ?? 200;
  if (def.idempotent && (def.auth !== "user" || !(body || response === noContent)))
    throw new Error(`${def.method} ${def.url}: an idempotent route must be signed-in and answer JSON or 204`);
  app.route({
    method: def.method,
    url: def.url,
    schema: {
      summary: def.summary,
      tags: def.tags ?? [],
      ...(def.body ? { body: def.body } : {}),
      ...(def.query ? { querystring: def.query } : {}),
      ...(def.params ? { params: def.params } : {}),
      response: openApiResponse(response, status),
      // Published so clients (and the robustness test) know which credentials an operation takes.
      security: def.auth === "user" ? CREDENTIALS : def.auth === "optional" ? [{}, ...CREDENTIALS] : [],
      ...(def.csrfExempt ? { "x-csrf-exempt": true } : {}),
    },
    ...(def.body && !def.formBody ? { preValidation: requireJson } : {}),
    ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
    config: {
      csrfExempt: def.csrfExempt === true,
      ...(def.rateLimit ? { limit: def.rateLimit } : {}),
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
      const run = async (): Promise<{ status: number; body: unknown }> => {
        const result = await (def.handler as (c: typeof ctx) => Promise<unknown>)(ctx);
        if (reply.sent) return { status: reply.statusCode, body: undefined };
        if (result === undefined) return { status: 204, body: undefined };
        if (!body) return { status: reply.statusCode, body: result };
        return { status: def.status ?? reply.statusCode, body: present(body, result, def.method, def.url) };
      };
      const key = def.idempotent && actor.kind === "user" ? clientKeyOf(req) : null;
      let answer: { status: number; body: unknown };
      if (key === null || actor.kind !== "user") answer = await run();
      else {
        const store = req.server.idempotency;
        const begun = await store.begin(actor.id, key, req);
        if (!begun.claimed) {
          answer = begun.answer;
          // Tells a client (and tests) that nothing was done again.
          reply.header("idempotent-replayed", "true");
        } else {
          try {
            answer = await run();
          } catch (e) {
            await store.release(actor.id, key);
            throw e;
          }
          await store.finish(actor.id, key, answer);
        }
      }
      if (reply.sent) return reply;
      if (answer.status === 204) return reply.code(204).send();
      reply.code(answer.status);
      return answer.body;
    },
  });
}

const isZod = (r: ResponseSpec): r is ZodType => "safeParse" in r;

/**
 * Parsed once here; the serializer then only stringifies. A mismatch is the
 * server's bug: a 500, with the paths that differ in the log.
 */
function present(schema: ZodType, result: unknown, method: string, url: string): unknown {
  const r = schema.safeParse(result);
  if (r.success) return r.data;
  const where = r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
  throw new Error(`the answer of ${method} ${url} does not match its response schema: ${where}`);
}

/** The response as @fastify/swagger reads it (the zod schema is turned into JSON Schema by the app's transform). */
function openApiResponse(r: ResponseSpec, status: number): Record<number, unknown> {
  if (isZod(r)) return { [status]: r };
  if (r.kind === "no-content") return { 204: { description: "No content", type: "null" } };
  const content = r.contentType ? { [r.contentType]: { schema: { type: "string", format: "binary" } } } : undefined;
  return { [r.status]: { description: r.description, ...(content ? { content } : {}) } };
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

// C0 controls but tab, line feed and carriage return; DEL.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * The one rule for text, applied to every string of every body, query and
 * path before its schema: NUL and other control characters (tab and line
 * breaks aside) and lone UTF-16 surrogates are refused — stored, they break
 * PostgreSQL (NUL), exports, logs and what other clients render. Answers
 * the paths of the offending strings.
 */
export function badText(data: unknown, path: string[] = [], out: string[] = []): string[] {
  if (out.length >= 20) return out;
  if (typeof data === "string") {
    if (CONTROL.test(data) || !data.isWellFormed()) out.push(path.join(".") || "(root)");
  } else if (Array.isArray(data)) data.forEach((v, i) => badText(v, [...path, String(i)], out));
  else if (data && typeof data === "object")
    for (const [k, v] of Object.entries(data)) {
      if (CONTROL.test(k) || !k.isWellFormed()) out.push([...path, "(key)"].join("."));
      badText(v, [...path, k], out);
    }
  return out;
}

/** Zod schemas as Fastify validators; errors carry field paths for problem+json. */
export function zodValidatorCompiler({ schema }: { schema: unknown }) {
  const zs = schema as ZodType;
  return (data: unknown) => {
    const bad = badText(data);
    if (bad.length)
      return {
        error: new AppError("validation", "text may not contain control characters or lone surrogates", {
          errors: bad.map((path) => ({ path, message: "control character or lone surrogate" })),
        }),
      };
    const r = zs.safeParse(data);
    if (r.success) return { value: r.data };
    const err = new AppError("validation", "the request is not valid", {
      errors: r.error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: i.message })),
    });
    return { error: err };
  };
}

/**
 * Used by @fastify/swagger to publish the zod schemas as JSON Schema: what a
 * request may send ("input"), what a response holds ("output").
 */
export function zodToOpenApi(schema: unknown, io: "input" | "output" = "input"): unknown {
  if (schema && typeof schema === "object" && "safeParse" in schema) {
    try {
      return z.toJSONSchema(schema as ZodType, { io, unrepresentable: "any" });
    } catch {
      return {};
    }
  }
  return schema;
}
