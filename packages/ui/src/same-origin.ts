/**
 * For a module's page outside the signed-in layout (a meeting's room, a public link), which has no
 * host to call the API through and calls it itself on the same origin.
 */

/** A refused call: its problem code (what `useProblemText` words) and its HTTP status. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string) {
    super(code);
    this.status = status;
    this.code = code;
  }
}

/** The session's CSRF token from its cookie (to echo on writes), or null for someone without a session. */
export function csrfCookie(): string | null {
  for (const part of document.cookie.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === "ensemble_csrf") return decodeURIComponent(v.join("="));
  }
  return null;
}
