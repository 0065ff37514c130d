import { defineModule } from "../module.ts";
import { accountsPolicies } from "./policies.ts";
import { accountEvents } from "./account-events.ts";
import { authRoutes } from "./auth-routes.ts";
import { passwordResetRoutes } from "./password-reset-routes.ts";
import { twoFactorRoutes } from "./two-factor-routes.ts";
import { installTwoFactorEnforcement } from "./two-factor-enforcement.ts";
import { sessionRoutes } from "./session-routes.ts";
import { profileRoutes } from "./profile-routes.ts";
import { tokenRoutes } from "./token-routes.ts";
import { oidcRoutes } from "./oidc-routes.ts";
import { groupRoutes } from "./group-routes.ts";
import { invitationRoutes } from "./invitation-routes.ts";
import { directoryRoutes } from "./directory-routes.ts";
import { adminRoutes } from "./admin-routes.ts";
import { adminUserRoutes } from "./admin-user-routes.ts";
import { groupTopics } from "./groups.ts";
import { adminExists, issueSetupToken } from "./setup.ts";

/** The kernel's own module: identity, sign-in, groups, invitations. */
export const accountsModule = defineModule({
  name: "accounts",
  namespace: { topics: ["group:"], names: ["accounts."] },
  policies: accountsPolicies,
  events: Object.values(accountEvents),
  topics: (k) => [groupTopics(k)],
  // Who changed roles, status, groups and invitations: mirrored into the audit log.
  auditableEvents: [
    "accounts.user.created",
    "accounts.user.role_changed",
    "accounts.user.deactivated",
    "accounts.user.reactivated",
    "accounts.user.two_factor_reset",
    "accounts.user.two_factor_enabled",
    "accounts.user.two_factor_disabled",
    "accounts.group.*",
    "accounts.group_member.*",
    "accounts.invitation.*",
  ],
  routes: (app, k) => {
    // A root hook: it confines sessions that must enrol in two-factor, on every module's routes.
    installTwoFactorEnforcement(app, k);
    passwordResetRoutes(app, k);
    twoFactorRoutes(app, k);
    sessionRoutes(app, k);
    profileRoutes(app, k);
    authRoutes(app, k);
    tokenRoutes(app, k);
    groupRoutes(app, k);
    invitationRoutes(app, k);
    directoryRoutes(app, k);
    adminRoutes(app, k);
    adminUserRoutes(app, k);
    oidcRoutes(app, k);
  },
  start: async (k) => {
    if (!(await adminExists(k.db))) {
      const token = await issueSetupToken(k.db);
      // Printed to stdout rather than logged: it is a secret meant for the operator's eyes only.
      if (k.config.LOG_LEVEL !== "silent") {
        process.stdout.write(
          `\nNo administrator yet. Create the first one at:\n  ${k.config.publicUrl}/setup#token=${token}\n\n`,
        );
      }
    }
  },
});
