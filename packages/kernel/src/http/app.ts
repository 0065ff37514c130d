import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import cookie from "@fastify/cookie";
import websocket from "@fastify/websocket";
import formbody from "@fastify/formbody";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { Kernel } from "../kernel.ts";
import type { ModuleDefinition } from "../module.ts";
import { installProblemHandler } from "./problem-handler.ts";
import { FALLBACK_SECURITY_HEADERS, installSecurityHeaders } from "./security.ts";
import { installJsonCompression } from "./compress-json.ts";
import { installAuthentication } from "./authenticate.ts";
import { zodToOpenApi, zodValidatorCompiler } from "./route.ts";
import { installOps } from "./ops.ts";
import { installRateLimits } from "./rate-limits.ts";
import { installIdempotency } from "./idempotency.ts";
import { httpDuration } from "../metrics.ts";
import { AppError, toProblem } from "../errors.ts";
import { registerModuleRoutes } from "./module-routes.ts";
import { PROBLEM_CONTENT_TYPE } from "@ensemble/protocol";

/** RFC 9457 problem+json as this server answers it: every registered code, with its status (`x-status`). */
function problemSchema(kernel: Kernel): Record<string, unknown> {
  const codes = kernel.problems.list();
  return {
    type: "object",
    required: ["type", "title", "status", "code"],
    properties: {
      type: { type: "string" },
      title: { type: "string" },
      status: { type: "integer" },
      code: { type: "string", enum: codes.map((c) => c.code) },
      detail: { type: "string" },
      instance: { type: "string" },
      errors: {
        type: "array",
        items: {
          type: "object",
          required: ["path", "message"],
          properties: { path: { type: "string" }, message: { type: "string" } },
        },
      },
    },
    "x-status": Object.fromEntries(codes.map((c) => [c.code, c.status])),
  };
}

/** Builds the HTTP application: the shared pipeline, then each module's routes. */
export async function buildHttpApp(
  kernel: Kernel,
  modules: readonly ModuleDefinition[],
  isReady: () => Promise<boolean>,
): Promise<FastifyInstance> {
  // Typed as the base instance: the pino logger type is narrower than Fastify's and plugins expect the base.
  const app = Fastify({
    loggerInstance: kernel.log,
    trustProxy: kernel.config.TRUST_PROXY,
    bodyLimit: 1_048_576,
    return503OnClosing: true,
    // Room for file names (255 bytes, percent-encoded); longer segments are refused below.
    routerOptions: { maxParamLength: 1024 },
    // Malformed or oversized URLs are refused before any hook runs: answer problem+json all the same.
    frameworkErrors: (error, req, reply) => {
      const e =
        error.code === "FST_ERR_MAX_PARAM_LENGTH"
          ? new AppError("not_found", "no resource has a name this long")
          : new AppError("validation", "the URL is not valid");
      // Sent here; the reply's own promise (it is thenable) only tells when the response is written.
      void (reply as FastifyReply)
        .code(e.status)
        .headers(FALLBACK_SECURITY_HEADERS)
        .type(PROBLEM_CONTENT_TYPE)
        .send(toProblem(e, req.url.split("?")[0]));
    },
    forceCloseConnections: "idle",
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  installProblemHandler(app, kernel.problems);
  await installSecurityHeaders(app);
  installJsonCompression(app);
  await app.register(cookie);
  // Before any module route: modules may add WebSocket endpoints too (/ws, /collab).
  await app.register(websocket, { options: { maxPayload: 65_536 } });
  await app.register(formbody);
  await installRateLimits(app, kernel);
  installIdempotency(app, kernel);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "Ensemble API", version: "0.1.0" },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "ensemble_session" },
          bearer: { type: "http", scheme: "bearer" },
          basic: { type: "http", scheme: "basic" },
        },
        schemas: { Problem: problemSchema(kernel) },
      },
    },
    transform: ({ schema, url }) => {
      const s = (schema ?? {}) as Record<string, unknown>;
      const out: Record<string, unknown> = { ...s };
      for (const k of ["body", "querystring", "params"] as const) if (s[k]) out[k] = zodToOpenApi(s[k]);
      const resp = s.response as Record<string, unknown> | undefined;
      if (resp) out.response = Object.fromEntries(Object.entries(resp).map(([c, v]) => [c, zodToOpenApi(v, "output")]));
      return { schema: out, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: true });
  installAuthentication(app, kernel.db);
  app.addHook("onResponse", async (req, reply) => {
    httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? "unmatched", status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  installOps(app, kernel, isReady);
  await registerModuleRoutes(app, kernel, modules);
  return app;
}
