import { problemStatus, type Problem, type ProblemCode } from "@ensemble/protocol";

/** The one error type handlers throw; the HTTP layer turns it into problem+json. */
export class AppError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly errors: Problem["errors"];
  readonly headers: Record<string, string>;
  constructor(
    code: ProblemCode,
    detail?: string,
    opts: { errors?: Problem["errors"]; headers?: Record<string, string>; status?: number } = {},
  ) {
    super(detail ?? code);
    this.code = code;
    // A code no loaded definition knows is a bug: answered as a server error (the problem handler logs it).
    this.status = opts.status ?? problemStatus(code) ?? 500;
    this.errors = opts.errors;
    this.headers = opts.headers ?? {};
  }
}

const TITLES: Partial<Record<ProblemCode, string>> = {
  validation: "The request is not valid",
  not_found: "Not found",
  unauthenticated: "Sign-in required",
  forbidden: "Not allowed",
  rate_limited: "Too many requests",
  internal: "Internal error",
};

export function toProblem(err: AppError, instance?: string): Problem {
  return {
    type: `https://ensemble.invalid/problems/${err.code.replaceAll("_", "-")}`,
    title: TITLES[err.code] ?? err.code.replaceAll("_", " "),
    status: err.status,
    code: err.code,
    detail: err.message,
    ...(instance ? { instance } : {}),
    ...(err.errors ? { errors: err.errors } : {}),
  };
}

export const notFound = (what = "resource"): AppError => new AppError("not_found", `${what} not found`);
export const forbidden = (detail = "you may not do this"): AppError => new AppError("forbidden", detail);
export const validation = (path: string, message: string): AppError =>
  new AppError("validation", message, { errors: [{ path, message }] });
