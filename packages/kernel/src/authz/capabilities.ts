import type { Role } from "./actor.ts";

/**
 * What each role may do, as data. A value of `true` grants the capability; a
 * setting name grants it when that organisation setting is on. Code asks
 * `can(role, capability, settings)`; it never compares role names.
 */
export const Capability = {
  browseDirectory: "directory.browse",
  createGroup: "groups.create",
  createInvitation: "invitations.create",
  inviteGuests: "invitations.guests",
  administer: "admin.console",
  manageUsers: "users.manage",
  viewAudit: "audit.view",
} as const;
export type Capability = (typeof Capability)[keyof typeof Capability];

export type CapabilitySetting = "membersCanInvite" | "membersCanCreateGroups";

type Grant = true | CapabilitySetting;

export const roleCapabilities: Record<Role, Partial<Record<Capability, Grant>>> = {
  admin: {
    "directory.browse": true,
    "groups.create": true,
    "invitations.create": true,
    "invitations.guests": true,
    "admin.console": true,
    "users.manage": true,
    "audit.view": true,
  },
  member: {
    "directory.browse": true,
    "groups.create": "membersCanCreateGroups",
    "invitations.create": "membersCanInvite",
  },
  guest: {},
};

export function can(
  role: Role,
  capability: Capability,
  settings: Partial<Record<CapabilitySetting, boolean>> = {},
): boolean {
  const grant = roleCapabilities[role][capability];
  if (grant === undefined) return false;
  if (grant === true) return true;
  return settings[grant] === true;
}
