import type { Kernel } from "../kernel.ts";
import { isUser, type Actor } from "../authz/actor.ts";
import { Capability, can } from "../authz/capabilities.ts";
import { allRows, noRows, resourceKind } from "../authz/policy.ts";

/** An entry of the audit log: the whole log is seen by those who may view it, and by nobody else. */
export const AuditEntryResource = resourceKind<{ id: string }>()("audit_entry", ["read"] as const);

const viewsAudit = (a: Actor) => isUser(a) && can(a.role, Capability.viewAudit);

export function auditPolicies(k: Kernel): void {
  k.policy.allow(AuditEntryResource, "read", (a) => viewsAudit(a));
  k.policy.visibility(AuditEntryResource, (a) => (viewsAudit(a) ? allRows : noRows));
}
