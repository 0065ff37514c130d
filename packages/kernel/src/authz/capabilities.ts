import { capabilityTable } from "@ensemble/protocol";
import type { Role } from "./actor.ts";

/**
 * What each organisation role may do, as data (the engine is the protocol's
 * `capabilityTable`, shared with modules' tables such as chat's room roles).
 * A value of `true` grants the capability; a setting name grants it when that
 * organisation setting is on. Code asks `can(role, capability, settings)`; it
 * never compares role names.
 */
export const Capability = {
  browseDirectory: "directory.browse",
  createGroup: "groups.create",
  createInvitation: "invitations.create",
  inviteGuests: "invitations.guests",
  administer: "admin.console",
  manageUsers: "users.manage",
  viewAudit: "audit.view",
  /** Create app tokens with the `admin` scope. */
  adminTokens: "tokens.admin",
} as const;
export type Capability = (typeof Capability)[keyof typeof Capability];

export type CapabilitySetting = "membersCanInvite" | "membersCanCreateGroups";

export const orgCapabilities = capabilityTable<Role, Capability, CapabilitySetting>({
  admin: {
    "directory.browse": true,
    "groups.create": true,
    "invitations.create": true,
    "invitations.guests": true,
    "admin.console": true,
    "users.manage": true,
    "audit.view": true,
    "tokens.admin": true,
  },
  member: {
    "directory.browse": true,
    "groups.create": "membersCanCreateGroups",
    "invitations.create": "membersCanInvite",
  },
  guest: {},
});

export const roleCapabilities = orgCapabilities.grants;

export function can(
  role: Role,
  capability: Capability,
  settings: Partial<Record<CapabilitySetting, boolean>> = {},
): boolean {
  return orgCapabilities.can(role, capability, settings);
}
