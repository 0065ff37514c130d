/**
 * RFC 9457 problem details. `code` is the stable, machine-readable part that
 * clients switch on and translate; `title`/`detail` are for people reading logs.
 */
export const ProblemCodes = {
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
  mention_confirmation_required: 409,
  chat_muted: 403,
  emoji_name_invalid: 400,
  emoji_name_taken: 409,
  emoji_too_large: 413,
  emoji_unsupported_type: 415,
  emoji_unknown: 400,
  internal: 500,
  unavailable: 503,
} as const;

export type ProblemCode = keyof typeof ProblemCodes;

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
