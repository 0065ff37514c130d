import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Kernel } from "../kernel.ts";
import type { OrgSettings } from "../settings.ts";
import type { Role, UserActor } from "../authz/actor.ts";
import { AppError } from "../errors.ts";

/**
 * What a user who must enrol may still reach: public routes (branding,
 * invitations: `route()` publishes them with an empty security list), who
 * they are, enrolment itself, and the way out.
 */
function exempt(req: FastifyRequest): boolean {
  const url = req.routeOptions.url ?? "";
  if (!url.startsWith("/api/")) return true;
  const security = (req.routeOptions.schema as { security?: unknown[] } | undefined)?.security;
  if (Array.isArray(security) && security.length === 0) return true;
  if (url === "/api/me" && req.method === "GET") return true;
  return (
    url === "/api/me/two-factor" ||
    url.startsWith("/api/me/two-factor/") ||
    url.startsWith("/api/auth/") ||
    url === "/api/openapi.json"
  );
}

export function mustEnrolTwoFactor(setting: OrgSettings["requireTwoFactor"], role: Role): boolean {
  return setting === "everyone" || (setting === "admins" && role === "admin");
}

/**
 * Whether this user must enrol before using anything else: the organisation
 * requires two-factor for their role and they have not enrolled. Applies to
 * browser sessions only (callers check); tokens are created after enrolment.
 */
export async function twoFactorEnrolmentPending(k: Kernel, actor: UserActor): Promise<boolean> {
  const settings = await k.settings.get();
  if (!mustEnrolTwoFactor(settings.requireTwoFactor, actor.role)) return false;
  const row = await k.db.selectFrom("users").select("totp_enabled").where("id", "=", actor.id).executeTakeFirst();
  return !(row && row.totp_enabled === 1);
}

/**
 * When the organisation requires two-factor, a browser session of a user
 * who has not enrolled reaches only the enrolment routes. Runs after the
 * authentication hook (registered earlier, same phase). With the setting
 * "off" it costs one cached settings read; the user's enrolment is looked
 * up only when the rule applies to their role.
 */
export function installTwoFactorEnforcement(app: FastifyInstance, k: Kernel): void {
  app.addHook("preValidation", async (req) => {
    const actor = req.actor;
    if (actor.kind !== "user" || req.authVia !== "session" || exempt(req)) return;
    if (!(await twoFactorEnrolmentPending(k, actor))) return;
    throw new AppError(
      "two_factor_enrolment_required",
      "your organisation requires two-factor authentication: set it up first",
    );
  });
}
