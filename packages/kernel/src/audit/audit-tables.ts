/** One entry of the audit log: who did what to which resource, from where. */
export interface AuditLogTable {
  id: string;
  at: string;
  /** The user who acted; null for the system or an unknown login (failed sign-in). */
  actor_id: string | null;
  /** `auth.sign_in.succeeded`, `accounts.user.role_changed`, … */
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  /** JSON object with whatever else the action needs to be understood later. */
  details: string;
}

// A type alias (not an interface) so that Kysely's withTables<T>() accepts it.
export type AuditTables = { audit_log: AuditLogTable };
