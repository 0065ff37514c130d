import type { Kysely } from "kysely";
import type { KernelTables } from "../db/tables.ts";
import { randomToken, sha256 } from "./secrets.ts";

export async function adminExists(db: Kysely<KernelTables>): Promise<boolean> {
  const row = await db
    .selectFrom("users")
    .select("id")
    .where("role", "=", "admin")
    .where("deactivated", "=", 0)
    .executeTakeFirst();
  return row !== undefined;
}

/** A one-time link for creating the first administrator; valid 24 hours. */
export async function issueSetupToken(db: Kysely<KernelTables>): Promise<string> {
  const token = randomToken();
  const now = new Date();
  await db.deleteFrom("one_time_tokens").where("purpose", "=", "setup").execute();
  await db
    .insertInto("one_time_tokens")
    .values({
      token_hash: sha256(token),
      purpose: "setup",
      user_id: null,
      expires_at: new Date(now.getTime() + 86_400_000).toISOString(),
      used_at: null,
      created_at: now.toISOString(),
    })
    .execute();
  return token;
}

/** Marks a one-time token used; true only for the first caller while it is valid. */
export async function consumeOneTimeToken(
  db: Kysely<KernelTables>,
  purpose: "password_reset" | "setup" | "two_factor",
  token: string,
): Promise<{ userId: string | null } | null> {
  const now = new Date().toISOString();
  const hash = sha256(token);
  const row = await db
    .selectFrom("one_time_tokens")
    .select(["user_id", "expires_at"])
    .where("token_hash", "=", hash)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .executeTakeFirst();
  if (!row || row.expires_at <= now) return null;
  const upd = await db
    .updateTable("one_time_tokens")
    .set({ used_at: now })
    .where("token_hash", "=", hash)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(upd.numUpdatedRows) === 1 ? { userId: row.user_id } : null;
}
