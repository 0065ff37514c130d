import { z } from "zod";
import { roleSchema, selfSchema } from "@ensemble/protocol/wire/accounts";
import { defineEvent } from "../events/define-event.ts";

const empty = z.object({});
const groupRole = z.enum(["owner", "member"]);

/** The accounts module's events (audited: see `auditableEvents`). */
export const accountEvents = {
  userUpdated: defineEvent("accounts.user.updated", z.object({ user: selfSchema }), 1),
  userRoleChanged: defineEvent("accounts.user.role_changed", z.object({ from: roleSchema, to: roleSchema }), 1),
  /**
   * An account created: a service account (bot, integration) by a module through `k.users`, or a
   * person's by an operator with `ensemble user add` (`via: "cli"`, no actor: the CLI has none) or by an
   * administrator in Administration › Users (`via: "admin"`).
   */
  userCreated: defineEvent(
    "accounts.user.created",
    z.object({
      username: z.string(),
      kind: z.enum(["service", "person"]),
      role: roleSchema.optional(),
      via: z.enum(["cli", "admin"]).optional(),
    }),
    1,
  ),
  /** `via`: which door — the admin API, the CLI or a module's bot administration (`deactivateUser`). */
  userDeactivated: defineEvent(
    "accounts.user.deactivated",
    z.object({ via: z.enum(["admin", "cli", "bot"]).optional() }),
    1,
  ),
  userReactivated: defineEvent("accounts.user.reactivated", empty, 1),
  userTwoFactorReset: defineEvent("accounts.user.two_factor_reset", empty, 1),
  /** The user enrolled in, or turned off, two-factor authentication themselves. */
  userTwoFactorEnabled: defineEvent("accounts.user.two_factor_enabled", empty, 1),
  userTwoFactorDisabled: defineEvent("accounts.user.two_factor_disabled", empty, 1),
  invitationCreated: defineEvent(
    "accounts.invitation.created",
    z.object({
      role: z.enum(["member", "guest"]),
      maxUses: z.number().int(),
      expiresAt: z.string(),
      mailed: z.boolean(),
    }),
    1,
  ),
  invitationRevoked: defineEvent("accounts.invitation.revoked", empty, 1),
  invitationAccepted: defineEvent(
    "accounts.invitation.accepted",
    z.object({ role: z.enum(["member", "guest"]), invitedBy: z.string() }),
    1,
  ),
  groupCreated: defineEvent("accounts.group.created", z.object({ name: z.string() }), 1),
  groupUpdated: defineEvent("accounts.group.updated", z.object({ name: z.string(), description: z.string() }), 1),
  groupDeleted: defineEvent(
    "accounts.group.deleted",
    z.object({ name: z.string(), memberIds: z.array(z.string()) }),
    1,
  ),
  groupMemberAdded: defineEvent("accounts.group_member.added", z.object({ role: groupRole }), 1),
  groupMemberRoleChanged: defineEvent("accounts.group_member.role_changed", z.object({ role: groupRole }), 1),
  groupMemberRemoved: defineEvent("accounts.group_member.removed", empty, 1),
};
