import type { FastifyError, FastifyInstance } from "fastify";
import type { ProblemRegistry } from "../problem-registry.ts";
import { PROBLEM_CONTENT_TYPE } from "@ensemble/protocol";
import { AppError, toProblem } from "../errors.ts";

/** Maps every thrown error to RFC 9457 problem+json with a stable code. */
export function installProblemHandler(app: FastifyInstance, problems: ProblemRegistry): void {
  app.setErrorHandler((error: FastifyError | AppError, req, reply) => {
    let appError = normalise(error);
    if (!problems.has(appError.code)) {
      // Clients switch on codes they were told about: one no module registered is a bug, not an answer.
      req.log.error({ err: error }, `problem code "${appError.code}" is registered by no module`);
      appError = new AppError("internal", "something went wrong on our side");
    }
    if (appError.status >= 500) req.log.error({ err: error }, "request failed");
    for (const [k, v] of Object.entries(appError.headers)) reply.header(k, v);
    return reply
      .code(appError.status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(toProblem(appError, req.url.split("?")[0]));
  });
  app.setNotFoundHandler((req, reply) => {
    return reply
      .code(404)
      .type(PROBLEM_CONTENT_TYPE)
      .send(toProblem(new AppError("not_found", "no such route"), req.url.split("?")[0]));
  });
}

function normalise(error: FastifyError | AppError): AppError {
  if (error instanceof AppError) {
    const ctx = (error as AppError & { validationContext?: string }).validationContext;
    if (ctx && error.errors) {
      return new AppError(error.code, error.message, {
        errors: error.errors.map((e) => ({ path: `${ctx}.${e.path}`, message: e.message })),
      });
    }
    return error;
  }
  const status = error.statusCode ?? 500;
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new AppError("unsupported_media_type", "this content type is not accepted");
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new AppError("payload_too_large", "the request body is too large");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new AppError("malformed_json", "the body is not valid JSON");
    case "FST_ERR_VALIDATION":
      return new AppError("validation", error.message);
    default:
      break;
  }
  if (status === 429) return new AppError("rate_limited", "too many requests, try again later");
  if (error instanceof SyntaxError || error.code === "FST_ERR_CTP_INVALID_CONTENT_LENGTH") {
    return new AppError("malformed_json", "the body could not be parsed");
  }
  if (status === 404) return new AppError("not_found", "not found");
  if (status === 413) return new AppError("payload_too_large", "the request body is too large");
  if (status === 415) return new AppError("unsupported_media_type", "this content type is not accepted");
  if (status >= 400 && status < 500) return new AppError("validation", error.message, { status });
  return new AppError("internal", "something went wrong on our side");
}
