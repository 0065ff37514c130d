import type { UserActor } from "../authz/actor.ts";
import { AppError } from "../errors.ts";

/**
 * Credentials that can mint or change credentials (new app tokens, password,
 * second factor) need a signed-in browser: a leaked app token must not be
 * able to entrench itself or take the account over.
 */
export function requireBrowserSession(actor: UserActor): void {
  if (actor.sessionId === null) {
    throw new AppError("forbidden", "this action needs a browser session; app tokens cannot perform it");
  }
}
