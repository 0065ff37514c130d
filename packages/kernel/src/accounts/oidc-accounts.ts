import type { Kysely } from "kysely";
import { uuidv7 } from "@ensemble/protocol";
import type { KernelTables } from "../db/tables.ts";
import { AppError } from "../errors.ts";
import type { OidcProfile } from "./oidc.ts";
import { emailSchema, findUserById, insertUser, type UserRow } from "./users.ts";

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

/** Turns a provider's preferred username or e-mail into one that fits our rules (ASCII, 2–40 characters). */
export function sanitiseUsername(p: Pick<OidcProfile, "preferredUsername" | "email" | "name">): string {
  const raw = p.preferredUsername ?? p.email ?? p.name ?? "user";
  const local = raw.includes("@") ? raw.slice(0, raw.indexOf("@")) : raw;
  let u = local
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .replace(/[._-]+$/, "")
    .slice(0, 32);
  if (u.length < 2) u = `user${u}`;
  return USERNAME.test(u) ? u : "user";
}

/** The first free name among `base`, `base-2`, `base-3`, … */
async function uniqueUsername(db: Kysely<KernelTables>, base: string): Promise<string> {
  const taken = new Set(
    (await db.selectFrom("users").select("username").where("username", "like", `${base}%`).execute()).map(
      (r) => r.username,
    ),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; i < 10_000; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
  return `${base}-${uuidv7().slice(-6)}`;
}

async function applyRole(db: Kysely<KernelTables>, user: UserRow, role: OidcProfile["role"]): Promise<UserRow> {
  if (role === null || role === user.role) return user;
  const updatedAt = new Date().toISOString();
  await db.updateTable("users").set({ role, updated_at: updatedAt }).where("id", "=", user.id).execute();
  return { ...user, role, updated_at: updatedAt };
}

function refuseDeactivated(user: UserRow): void {
  if (user.deactivated) throw new AppError("oidc_failed", "this account is deactivated");
}

async function link(db: Kysely<KernelTables>, userId: string, p: OidcProfile): Promise<void> {
  await db
    .insertInto("identities")
    .values({
      id: uuidv7(),
      user_id: userId,
      issuer: p.issuer,
      subject: p.subject,
      created_at: new Date().toISOString(),
    })
    .execute();
}

/**
 * Finds the account behind a verified OpenID Connect identity: linked by
 * (issuer, subject); else the local account with the same verified e-mail,
 * which gets linked; else a new account provisioned just in time. The role
 * follows the provider's claim on every sign-in when a claim is configured.
 */
export async function accountForIdentity(db: Kysely<KernelTables>, p: OidcProfile): Promise<UserRow> {
  return db.transaction().execute(async (tx) => {
    const identity = await tx
      .selectFrom("identities")
      .select("user_id")
      .where("issuer", "=", p.issuer)
      .where("subject", "=", p.subject)
      .executeTakeFirst();
    if (identity) {
      const user = await findUserById(tx, identity.user_id);
      if (!user) throw new AppError("oidc_failed", "the linked account no longer exists");
      refuseDeactivated(user);
      return applyRole(tx, user, p.role);
    }

    const email = p.email && emailSchema.safeParse(p.email).success ? p.email : null;
    if (email && p.emailVerified) {
      const local = await tx.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
      if (local) {
        refuseDeactivated(local);
        await link(tx, local.id, p);
        return applyRole(tx, local, p.role);
      }
    }

    const username = await uniqueUsername(tx, sanitiseUsername(p));
    // An unverified address that another account already uses is dropped rather than stolen.
    const emailFree = email
      ? !(await tx.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst())
      : false;
    const user = await insertUser(tx, {
      username,
      displayName: (p.name ?? p.preferredUsername ?? username).slice(0, 80),
      email: emailFree ? email : null,
      role: p.role ?? "member",
      passwordHash: null,
    });
    await link(tx, user.id, p);
    return user;
  });
}
