import { resourceKind } from "../authz/policy.ts";
import type { GroupsTable, InvitationsTable, UsersTable } from "../db/tables.ts";

/** The kernel's resource kinds and their actions: the vocabulary of `can`. */
export const UserResource = resourceKind<UsersTable>()("user", [
  "read",
  "update",
  "deactivate",
  "change_role",
  "reset_two_factor",
  "manage_sessions",
  "manage_tokens",
] as const);

export const GroupResource = resourceKind<GroupsTable & { viewerRole: "owner" | "member" | null }>()("group", [
  "read",
  "update",
  "delete",
  "add_member",
  "remove_member",
] as const);

export const InvitationResource = resourceKind<InvitationsTable>()("invitation", ["read", "revoke"] as const);

export const SessionResource = resourceKind<{ user_id: string }>()("session", ["read", "revoke"] as const);

export const AppTokenResource = resourceKind<{ user_id: string }>()("app_token", ["read", "revoke"] as const);

/** Administration's view of every account, deactivated ones included (the directory is `UserResource`). */
export const AccountRecordResource = resourceKind<UsersTable>()("account_record", ["read"] as const);
