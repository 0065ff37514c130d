import type { OrgSettings } from "../settings.ts";
import type { Actor } from "./actor.ts";
import { resourceKind, type Policy, type ResourceKind } from "./policy.ts";

/**
 * The organisation as a resource: what a person may create or administer in
 * it ("create a room", "create a group", "administer"). Its record carries the
 * organisation settings that some grants depend on. Every user reads it, so a
 * refusal on it is a 403; modules declare their own kind (`chat`, `boards`…)
 * and register it with `policy.organisation(kind)` so `/api/me` reports it.
 */
export interface OrgRecord {
  settings: Pick<OrgSettings, "membersCanInvite" | "membersCanCreateGroups">;
}

/** An organisation-level kind: `read` plus the module's actions (capability names `<type>.<action>`). */
export function orgResource<const A extends string>(
  type: string,
  actions: readonly A[],
): ResourceKind<OrgRecord, "read" | A> {
  return resourceKind<OrgRecord>()(type, ["read", ...actions]);
}

export const OrgResource = orgResource("org", [
  "browse_directory",
  "create_group",
  "invite",
  "invite_guests",
  "administer",
  "manage_users",
  "view_audit",
  "create_admin_token",
] as const);

/** The organisation record the policy decides on, from the settings store. */
export async function orgRecord(settings: { get(): Promise<OrgSettings> }): Promise<OrgRecord> {
  return { settings: await settings.get() };
}

type OrgContext = { policy: Policy; settings: { get(): Promise<OrgSettings> } };

/** Refuses (403) an organisation-level action the actor may not perform: `authorizeOrg(k, actor, Org, "administer")`. */
export async function authorizeOrg<A extends string>(
  k: OrgContext,
  actor: Actor,
  kind: ResourceKind<OrgRecord, A>,
  action: A,
): Promise<void> {
  await k.policy.authorize(actor, kind, action, await orgRecord(k.settings));
}

/** Whether the actor may perform an organisation-level action (for what a list shows, not for a refusal). */
export async function mayInOrg<A extends string>(
  k: OrgContext,
  actor: Actor,
  kind: ResourceKind<OrgRecord, A>,
  action: A,
): Promise<boolean> {
  return k.policy.can(actor, kind, action, await orgRecord(k.settings));
}
