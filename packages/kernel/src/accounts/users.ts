import type { Kysely } from "kysely";
import { z } from "zod";
import { uuidv7 } from "@ensemble/protocol";
import type { KernelTables, UsersTable } from "../db/tables.ts";
import { AppError } from "../errors.ts";
import type { Self, User } from "@ensemble/protocol/wire/accounts";

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, "2–40 characters: letters, digits, dot, dash or underscore");
export const displayNameSchema = z.string().trim().min(1).max(80);
export const emailSchema = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());
export const passwordSchema = z.string().min(1).max(256);

export type UserRow = UsersTable;

export interface NewUser {
  username: string;
  displayName: string;
  email: string | null;
  role: UsersTable["role"];
  passwordHash: string | null;
  locale?: string;
}

/** Inserts a user; a taken username or e-mail is a 409 with a stable code, not a crash. */
export async function insertUser(db: Kysely<KernelTables>, u: NewUser): Promise<UserRow> {
  const taken = await db
    .selectFrom("users")
    .select(["username", "email"])
    .where((eb) => eb.or([eb("username", "=", u.username), ...(u.email ? [eb("email", "=", u.email)] : [])]))
    .execute();
  if (taken.some((t) => t.username === u.username)) throw new AppError("username_taken", "this username is taken");
  if (taken.length) throw new AppError("email_taken", "this e-mail address is already used");
  const now = new Date().toISOString();
  const row: UserRow = {
    id: uuidv7(),
    username: u.username,
    display_name: u.displayName,
    email: u.email,
    avatar_key: null,
    locale: u.locale ?? "fr",
    time_zone: "Europe/Paris",
    status_message: "",
    role: u.role,
    deactivated: 0,
    password_hash: u.passwordHash,
    totp_secret: null,
    totp_enabled: 0,
    totp_last_step: null,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto("users").values(row).execute();
  return row;
}

export const findUserById = (db: Kysely<KernelTables>, id: string) =>
  db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();

export const findUserByLogin = (db: Kysely<KernelTables>, login: string) =>
  db
    .selectFrom("users")
    .selectAll()
    .where((eb) => eb.or([eb("username", "=", login.toLowerCase()), eb("email", "=", login.toLowerCase())]))
    .executeTakeFirst();

/** The fields anyone who may see a user gets. */
export function presentUser(u: UserRow): User {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    avatarUrl: u.avatar_key ? `/api/users/${u.id}/avatar?v=${encodeURIComponent(u.updated_at)}` : null,
    statusMessage: u.status_message,
    role: u.role,
    deactivated: u.deactivated === 1,
  };
}

/** The fields the user themself (and admins) get. */
export function presentSelf(u: UserRow): Self {
  return {
    ...presentUser(u),
    email: u.email,
    // Written only as fr or en (profile, invitations); the column is plain text.
    locale: u.locale === "en" ? "en" : "fr",
    timeZone: u.time_zone,
    twoFactorEnabled: u.totp_enabled === 1,
    hasPassword: u.password_hash !== null,
    createdAt: u.created_at,
  };
}
