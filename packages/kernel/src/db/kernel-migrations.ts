import type { Kysely } from "kysely";
import type { NamedMigration } from "./migrations.ts";
import { eventSourcesMigration, eventsMigration } from "../events/event-migrations.ts";
import { auditMigration } from "../audit/audit-migrations.ts";
import { searchMigration } from "../search/search-migrations.ts";
import { notificationsMigration } from "../notifications/notification-migrations.ts";
import { idempotencyMigration } from "../http/idempotency.ts";

const ts = "text";

async function accounts(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("username", ts, (c) => c.notNull().unique())
    .addColumn("display_name", ts, (c) => c.notNull())
    .addColumn("email", ts, (c) => c.unique())
    .addColumn("avatar_key", ts)
    .addColumn("locale", ts, (c) => c.notNull().defaultTo("fr"))
    .addColumn("time_zone", ts, (c) => c.notNull().defaultTo("Europe/Paris"))
    .addColumn("status_message", ts, (c) => c.notNull().defaultTo(""))
    .addColumn("role", ts, (c) => c.notNull())
    .addColumn("deactivated", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("password_hash", ts)
    .addColumn("totp_secret", ts)
    .addColumn("totp_enabled", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("totp_last_step", "bigint")
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("token_hash", ts, (c) => c.notNull().unique())
    .addColumn("user_id", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("csrf_token", ts, (c) => c.notNull())
    .addColumn("user_agent", ts, (c) => c.notNull())
    .addColumn("ip", ts, (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("last_used_at", ts, (c) => c.notNull())
    .addColumn("expires_at", ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("auth_failures")
    .addColumn("key", ts, (c) => c.primaryKey())
    .addColumn("count", "integer", (c) => c.notNull())
    .addColumn("first_at", ts, (c) => c.notNull())
    .addColumn("locked_until", ts)
    .execute();

  await db.schema
    .createTable("recovery_codes")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("user_id", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("code_hash", ts, (c) => c.notNull())
    .addColumn("used_at", ts)
    .execute();

  await db.schema
    .createTable("one_time_tokens")
    .addColumn("token_hash", ts, (c) => c.primaryKey())
    .addColumn("purpose", ts, (c) => c.notNull())
    .addColumn("user_id", ts, (c) => c.references("users.id").onDelete("cascade"))
    .addColumn("expires_at", ts, (c) => c.notNull())
    .addColumn("used_at", ts)
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("app_tokens")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("user_id", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", ts, (c) => c.notNull())
    .addColumn("scopes", ts, (c) => c.notNull())
    .addColumn("token_hash", ts, (c) => c.notNull().unique())
    .addColumn("prefix", ts, (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("last_used_at", ts)
    .addColumn("revoked_at", ts)
    .execute();

  await db.schema
    .createTable("identities")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("user_id", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("issuer", ts, (c) => c.notNull())
    .addColumn("subject", ts, (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addUniqueConstraint("identities_issuer_subject", ["issuer", "subject"])
    .execute();
}

async function groupsAndInvitations(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("groups")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("name", ts, (c) => c.notNull())
    .addColumn("description", ts, (c) => c.notNull().defaultTo(""))
    .addColumn("created_by", ts, (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("group_members")
    .addColumn("group_id", ts, (c) => c.notNull().references("groups.id").onDelete("cascade"))
    .addColumn("user_id", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", ts, (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addPrimaryKeyConstraint("group_members_pk", ["group_id", "user_id"])
    .execute();
  await db.schema.createIndex("group_members_user").on("group_members").column("user_id").execute();

  await db.schema
    .createTable("invitations")
    .addColumn("id", ts, (c) => c.primaryKey())
    .addColumn("token_hash", ts, (c) => c.notNull().unique())
    .addColumn("created_by", ts, (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", ts, (c) => c.notNull())
    .addColumn("group_id", ts, (c) => c.references("groups.id").onDelete("set null"))
    .addColumn("email", ts)
    .addColumn("expires_at", ts, (c) => c.notNull())
    .addColumn("max_uses", "integer", (c) => c.notNull())
    .addColumn("uses", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("revoked_at", ts)
    .addColumn("created_at", ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("settings")
    .addColumn("key", ts, (c) => c.primaryKey())
    .addColumn("value", ts, (c) => c.notNull())
    .addColumn("updated_at", ts, (c) => c.notNull())
    .execute();
}

/** Pending OpenID Connect sign-ins: state, nonce and PKCE verifier, bound to the browser that started them. */
async function oidcStates(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("oidc_states")
    .addColumn("state_hash", ts, (c) => c.primaryKey())
    .addColumn("browser_hash", ts, (c) => c.notNull())
    .addColumn("nonce", ts, (c) => c.notNull())
    .addColumn("code_verifier", ts, (c) => c.notNull())
    .addColumn("created_at", ts, (c) => c.notNull())
    .addColumn("expires_at", ts, (c) => c.notNull())
    .execute();
}

export const kernelMigrations: NamedMigration[] = [
  { name: "20261128T1400_kernel_accounts", up: accounts },
  { name: "20261128T1401_kernel_groups_invitations", up: groupsAndInvitations },
  { name: "20261128T1423_kernel_oidc_states", up: oidcStates },
  { name: "20261128T1430_kernel_events", up: eventsMigration },
  { name: "20261128T1451_kernel_audit", up: auditMigration },
  { name: "20261128T1452_kernel_search", up: searchMigration },
  { name: "20261128T1453_kernel_notifications", up: notificationsMigration },
  { name: "20261206T2000_kernel_event_sources", up: eventSourcesMigration },
  { name: "20261206T2330_kernel_idempotency_keys", up: idempotencyMigration },
];
