import type { Kysely } from "kysely";
import { uuidv7 } from "@ensemble/protocol";
import type { TransactionLike } from "../events/record-event.ts";
import type { AuditTables } from "./audit-tables.ts";

export interface AuditEntry {
  actorId: string | null;
  /** Dotted name: `auth.sign_in.failed`, `accounts.token.created`. */
  action: string;
  /** What was acted on: `{ type: "user", id }`. */
  target?: { type: string; id: string } | null;
  ip?: string | null;
  details?: Record<string, unknown>;
  /** Given when mirroring something that has an id already (an event), so a replay records it once. */
  id?: string;
  at?: string;
}

/**
 * Appends to the audit log, in the caller's transaction when given one (the
 * entry then exists if and only if the change commits). Never put secrets in
 * `details`: the log is exported as CSV.
 */
export async function audit(db: TransactionLike, e: AuditEntry): Promise<void> {
  const d = db as unknown as Kysely<AuditTables>;
  await d
    .insertInto("audit_log")
    .values({
      id: e.id ?? uuidv7(),
      at: e.at ?? new Date().toISOString(),
      actor_id: e.actorId,
      action: e.action,
      target_type: e.target?.type ?? null,
      target_id: e.target?.id ?? null,
      ip: e.ip ?? null,
      details: JSON.stringify(e.details ?? {}),
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}

/** Event names (exact, or `module.*` prefixes) that modules asked to mirror into the audit log. */
export class AuditTrail {
  private readonly names: string[] = [];
  mirror(names: readonly string[]): void {
    for (const n of names) if (!this.names.includes(n)) this.names.push(n);
  }
  get mirrored(): readonly string[] {
    return this.names;
  }
}
