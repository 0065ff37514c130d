import type { Kysely } from "kysely";
import type { Kernel } from "../kernel.ts";
import type { KernelTables } from "../db/tables.ts";
import type { Scope } from "../authz/actor.ts";
import { audit } from "../audit/audit.ts";
import { recordEvent } from "../events/record-event.ts";
import { createAppToken } from "./app-tokens.ts";
import { deactivateUser, type DeactivationResult, type DeactivationVia } from "./deactivate-user.ts";
import { findUserById, insertUser, presentUser, type UserRow } from "./users.ts";

/**
 * What modules may do with accounts (`k.users`): read them, create service
 * accounts (bots, integrations) and deactivate them, always with an event and
 * an audit entry. Modules never write the `users` table themselves.
 */
export interface UserService {
  findById(id: string): Promise<UserRow | undefined>;
  findByUsername(username: string): Promise<UserRow | undefined>;
  /** The fields anyone who may see a user gets. */
  present(u: UserRow): ReturnType<typeof presentUser>;
  /**
   * An account with no password and no e-mail: it signs in only with app
   * tokens. In the caller's transaction; records `accounts.user.created`.
   * A taken username is 409 `username_taken`.
   */
  createServiceAccount(
    tx: Kysely<KernelTables>,
    a: { username: string; displayName: string; createdBy: string | null },
  ): Promise<UserRow>;
  /** The one deactivation command (see `deactivateUser`). */
  deactivate(userId: string, by: { actorId: string | null; via: DeactivationVia }): Promise<DeactivationResult>;
}

/** App tokens (`k.tokens`): created and revoked with an audit entry, in the caller's transaction. */
export interface TokenService {
  /** The token's value is in the answer only: store nothing but its hash. */
  create(
    tx: Kysely<KernelTables>,
    a: { userId: string; name: string; scopes: readonly Scope[]; actorId: string | null },
  ): Promise<{ id: string; token: string; prefix: string }>;
  /** Revokes every active token of a user; answers how many. */
  revokeAll(tx: Kysely<KernelTables>, a: { userId: string; actorId: string | null }): Promise<number>;
}

export function userService(k: () => Kernel): UserService {
  return {
    findById: (id) => findUserById(k().db, id),
    findByUsername: (username) =>
      k().db.selectFrom("users").selectAll().where("username", "=", username.toLowerCase()).executeTakeFirst(),
    present: presentUser,
    createServiceAccount: async (tx, a) => {
      const user = await insertUser(tx, {
        username: a.username,
        displayName: a.displayName,
        email: null,
        role: "member",
        passwordHash: null,
      });
      await recordEvent(tx, {
        name: "accounts.user.created",
        actorId: a.createdBy,
        resources: { user: user.id },
        payload: { username: user.username, kind: "service" },
      });
      return user;
    },
    deactivate: (userId, by) => deactivateUser(k(), userId, by),
  };
}

export const tokenService: TokenService = {
  create: async (tx, a) => {
    const token = await createAppToken(tx, a.userId, a.name, a.scopes);
    await audit(tx, {
      actorId: a.actorId,
      action: "accounts.token.created",
      target: { type: "app_token", id: token.id },
      details: { name: a.name, scopes: [...a.scopes], userId: a.userId },
    });
    return token;
  },
  revokeAll: async (tx, a) => {
    const revoked = await tx
      .updateTable("app_tokens")
      .set({ revoked_at: new Date().toISOString() })
      .where("user_id", "=", a.userId)
      .where("revoked_at", "is", null)
      .returning("id")
      .execute();
    for (const r of revoked)
      await audit(tx, {
        actorId: a.actorId,
        action: "accounts.token.revoked",
        target: { type: "app_token", id: r.id },
      });
    return revoked.length;
  },
};
