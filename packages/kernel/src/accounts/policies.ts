import { expressionBuilder } from "kysely";
import type { Kernel } from "../kernel.ts";
import type { KernelTables } from "../db/tables.ts";
import { isUser, type Actor } from "../authz/actor.ts";
import { can, Capability } from "../authz/capabilities.ts";
import { OrgResource } from "../authz/organisation.ts";
import { allRows, noRows, ownedBy } from "../authz/policy.ts";
import { shareAGroup } from "./groups.ts";
import {
  AccountRecordResource,
  AppTokenResource,
  GroupResource,
  InvitationResource,
  SessionResource,
  UserResource,
} from "./resources.ts";

const self = (a: Actor, userId: string) => isUser(a) && a.id === userId;
const manages = (a: Actor) => isUser(a) && can(a.role, Capability.manageUsers);
const browses = (a: Actor) => isUser(a) && can(a.role, Capability.browseDirectory);
const eb = expressionBuilder<KernelTables>();

const orgActions = {
  browse_directory: Capability.browseDirectory,
  create_group: Capability.createGroup,
  invite: Capability.createInvitation,
  invite_guests: Capability.inviteGuests,
  administer: Capability.administer,
  manage_users: Capability.manageUsers,
  view_audit: Capability.viewAudit,
  create_admin_token: Capability.adminTokens,
} as const;

/**
 * Who may do what to kernel resources. Guests see only themselves and the
 * people they share something with (modules add those rules); members and
 * admins browse the directory.
 */
export function accountsPolicies(k: Kernel): void {
  const p = k.policy;
  // The organisation: any user reads it; each action is a capability of the organisation table.
  p.organisation(OrgResource);
  p.allow(OrgResource, "read", (a) => isUser(a));
  for (const [action, capability] of Object.entries(orgActions) as [keyof typeof orgActions, Capability][])
    p.allow(OrgResource, action, (a, o) => isUser(a) && can(a.role, capability, o.settings));

  // Administration's account list: every account to those who manage users, none to anybody else.
  const managesUsers = (a: Actor) => isUser(a) && can(a.role, Capability.manageUsers);
  p.allow(AccountRecordResource, "read", (a) => managesUsers(a));
  p.visibility(AccountRecordResource, (a) => (managesUsers(a) ? allRows : noRows));

  p.allow(UserResource, "read", (a, u) => self(a, u.id) || browses(a));
  // Without the directory, people still see those they share a group with.
  p.allow(UserResource, "read", async (a, u) => isUser(a) && (await shareAGroup(k.db, a.id, u.id)));
  p.visibility(UserResource, (a, ref) => {
    if (!isUser(a)) return noRows;
    if (browses(a)) return allRows;
    const theirGroups = eb
      .selectFrom("group_members as theirs")
      .innerJoin("group_members as mine", "mine.group_id", "theirs.group_id")
      .select("theirs.user_id")
      .where("mine.user_id", "=", a.id);
    return eb.or([eb(ref("id"), "=", a.id), eb(ref("id"), "in", theirGroups)]);
  });
  p.allow(UserResource, ["update", "manage_sessions", "manage_tokens"], (a, u) => self(a, u.id));
  p.allow(UserResource, ["update", "deactivate", "change_role", "reset_two_factor", "manage_sessions"], (a) =>
    manages(a),
  );

  p.allow(GroupResource, "read", (a, g) => g.viewerRole !== null || browses(a));
  p.visibility(GroupResource, (a, ref) => {
    if (!isUser(a)) return noRows;
    if (browses(a)) return allRows;
    return eb(ref("id"), "in", eb.selectFrom("group_members").select("group_id").where("user_id", "=", a.id));
  });
  p.allow(
    GroupResource,
    ["update", "delete", "add_member", "remove_member"],
    (a, g) => g.viewerRole === "owner" || manages(a),
  );

  p.allow(InvitationResource, ["read", "revoke"], (a, i) => self(a, i.created_by) || manages(a));
  p.visibility(InvitationResource, (a, ref) => (manages(a) ? allRows : ownedBy(a, ref("created_by"))));
  p.allow(SessionResource, ["read", "revoke"], (a, s) => self(a, s.user_id));
  p.visibility(SessionResource, (a, ref) => ownedBy(a, ref("user_id")));
  p.allow(AppTokenResource, ["read", "revoke"], (a, t) => self(a, t.user_id));
  p.visibility(AppTokenResource, (a, ref) => ownedBy(a, ref("user_id")));
}
