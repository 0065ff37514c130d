/**
 * Kernel tables. Conventions on both engines: ids are UUIDv7 text, times are
 * ISO-8601 UTC text, booleans are 0/1 integers, JSON is text. Modules declare
 * their own table interfaces and reach them with `db.withTables<T>()`.
 */
export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  avatar_key: string | null;
  locale: string;
  time_zone: string;
  status_message: string;
  role: "admin" | "member" | "guest";
  deactivated: number;
  password_hash: string | null;
  totp_secret: string | null;
  totp_enabled: number;
  /** Last accepted TOTP time step: a code is never accepted twice. */
  totp_last_step: number | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  csrf_token: string;
  user_agent: string;
  ip: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
}

export interface AuthFailuresTable {
  key: string;
  count: number;
  first_at: string;
  locked_until: string | null;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: string | null;
}

export interface OneTimeTokensTable {
  token_hash: string;
  purpose: "password_reset" | "setup" | "two_factor";
  user_id: string | null;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface AppTokensTable {
  id: string;
  user_id: string;
  name: string;
  scopes: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface IdentitiesTable {
  id: string;
  user_id: string;
  issuer: string;
  subject: string;
  created_at: string;
}

export interface InvitationsTable {
  id: string;
  token_hash: string;
  created_by: string;
  role: "member" | "guest";
  group_id: string | null;
  email: string | null;
  expires_at: string;
  max_uses: number;
  uses: number;
  revoked_at: string | null;
  created_at: string;
}

export interface GroupsTable {
  id: string;
  name: string;
  description: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
  role: "owner" | "member";
  created_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface OidcStatesTable {
  state_hash: string;
  browser_hash: string;
  nonce: string;
  code_verifier: string;
  created_at: string;
  expires_at: string;
}

export interface KernelTables {
  users: UsersTable;
  sessions: SessionsTable;
  auth_failures: AuthFailuresTable;
  recovery_codes: RecoveryCodesTable;
  one_time_tokens: OneTimeTokensTable;
  app_tokens: AppTokensTable;
  identities: IdentitiesTable;
  oidc_states: OidcStatesTable;
  invitations: InvitationsTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  settings: SettingsTable;
}
