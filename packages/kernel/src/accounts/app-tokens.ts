import type { Kysely } from "kysely";
import { uuidv7 } from "@ensemble/protocol";
import type { KernelTables } from "../db/tables.ts";
import type { Role, Scope } from "../authz/actor.ts";
import { randomToken, sha256 } from "./secrets.ts";

export const TOKEN_PREFIX = "ens_";

export async function createAppToken(
  db: Kysely<KernelTables>,
  userId: string,
  name: string,
  scopes: readonly Scope[],
): Promise<{ id: string; token: string; prefix: string }> {
  const secret = randomToken();
  const token = `${TOKEN_PREFIX}${secret}`;
  const id = uuidv7();
  const prefix = token.slice(0, 10);
  await db
    .insertInto("app_tokens")
    .values({
      id,
      user_id: userId,
      name,
      scopes: scopes.join(","),
      token_hash: sha256(token),
      prefix,
      created_at: new Date().toISOString(),
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return { id, token, prefix };
}

export interface ResolvedToken {
  tokenId: string;
  scopes: Scope[];
  user: { id: string; username: string; role: Role };
}

/** `username` is checked when the token came through Basic auth. */
export async function resolveAppToken(
  db: Kysely<KernelTables>,
  token: string,
  username?: string,
): Promise<ResolvedToken | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db
    .selectFrom("app_tokens")
    .innerJoin("users", "users.id", "app_tokens.user_id")
    .select([
      "app_tokens.id as tid",
      "app_tokens.scopes",
      "app_tokens.revoked_at",
      "app_tokens.last_used_at",
      "users.id",
      "users.username",
      "users.role",
      "users.deactivated",
    ])
    .where("app_tokens.token_hash", "=", sha256(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.deactivated) return null;
  if (username !== undefined && username.toLowerCase() !== row.username) return null;
  const now = Date.now();
  if (!row.last_used_at || now - Date.parse(row.last_used_at) > 60_000) {
    await db
      .updateTable("app_tokens")
      .set({ last_used_at: new Date(now).toISOString() })
      .where("id", "=", row.tid)
      .execute();
  }
  return {
    tokenId: row.tid,
    scopes: row.scopes.split(",").filter(Boolean) as Scope[],
    user: { id: row.id, username: row.username, role: row.role },
  };
}
