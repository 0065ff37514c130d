/** What a table of problem codes maps: each stable code to the HTTP status it answers with. */
export type ProblemCodeTable = Readonly<Record<string, number>>;

const CODE_RE = /^[a-z][a-z0-9_]*$/;
const statuses = new Map<string, number>();

/**
 * Declares problem codes with their HTTP status: the kernel's below, each
 * module's in its `shared/` (listed in its module definition's
 * `problemCodes`, registered by the kernel at start, where a code declared by
 * two modules is refused). Loading the definition lets `AppError` find the
 * status; one code defined twice with different statuses is refused here.
 */
export function defineProblemCodes<const T extends ProblemCodeTable>(codes: T): T {
  for (const [code, status] of Object.entries(codes)) {
    if (!CODE_RE.test(code)) throw new Error(`problem code "${code}": lowercase letters, digits and _ only`);
    if (!Number.isInteger(status) || status < 400 || status > 599)
      throw new Error(`problem code "${code}": the status must be a 4xx or 5xx, got ${status}`);
    const known = statuses.get(code);
    if (known !== undefined && known !== status)
      throw new Error(`problem code "${code}" is defined twice (${known} and ${status})`);
    statuses.set(code, status);
  }
  return codes;
}

/** The HTTP status of a defined code. */
export const problemStatus = (code: string): number | undefined => statuses.get(code);

/**
 * RFC 9457 problem details. `code` is the stable, machine-readable part that
 * clients switch on and translate; `title`/`detail` are for people reading logs.
 * These are the kernel's own codes; services declare theirs in their `shared/`.
 */
export const kernelProblemCodes = defineProblemCodes({
  validation: 400,
  malformed_json: 400,
  csrf_failed: 403,
  unauthenticated: 401,
  invalid_credentials: 401,
  two_factor_required: 401,
  invalid_two_factor_code: 401,
  account_locked: 429,
  rate_limited: 429,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_key_reused: 422,
  idempotency_in_progress: 409,
  username_taken: 409,
  email_taken: 409,
  weak_password: 422,
  invitation_invalid: 410,
  token_invalid: 410,
  sso_only: 403,
  oidc_failed: 401,
  payload_too_large: 413,
  range_not_satisfiable: 416,
  unsupported_media_type: 415,
  setup_done: 409,
  two_factor_enrolment_required: 403,
  two_factor_already_enabled: 409,
  two_factor_not_enabled: 409,
  invalid_image: 422,
  internal: 500,
  unavailable: 503,
});

type KernelProblemCodes = typeof kernelProblemCodes;

/**
 * Every problem code the code base knows, with its status: the kernel's,
 * merged by each module's `shared/`, so that a misspelt code does not compile:
 *   declare module "@ensemble/protocol" { interface ProblemCodes extends ChatProblemCodes {} }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ProblemCodes extends KernelProblemCodes {}

export type ProblemCode = keyof ProblemCodes & string;

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  instance?: string;
  /** Field-level validation issues: a JSON pointer-ish path and a message. */
  errors?: { path: string; message: string }[];
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
