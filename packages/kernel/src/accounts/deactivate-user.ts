import { sql, type Kysely, type Transaction } from "kysely";
import type { Kernel } from "../kernel.ts";
import type { KernelTables } from "../db/tables.ts";
import { AppError } from "../errors.ts";
import { recordEvent } from "../events/record-event.ts";
import { endUserSessions } from "../realtime/end-user-sessions.ts";

/** Who asked: recorded in the event (and so in the audit log) next to the actor. */
export type DeactivationVia = "admin" | "cli" | "bot";

/**
 * Serialises role and deactivation changes, so that two admins demoting each
 * other at once cannot leave the organisation without an active admin.
 * Answers the number of active administrators.
 */
export async function lockAdmins(tx: Kysely<KernelTables>, kind: "sqlite" | "postgres"): Promise<number> {
  if (kind === "postgres")
    await sql`select id from users where role = 'admin' and deactivated = 0 for update`.execute(tx);
  const r = await tx
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("role", "=", "admin")
    .where("deactivated", "=", 0)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * The one deactivation step, inside the caller's transaction (the admin API
 * changes a role in the same one): once it commits, no session, app token,
 * reset link or sign-in challenge of the user authenticates, and reactivating
 * the account later brings none of them back. Records
 * `accounts.user.deactivated` (mirrored into the audit log). The caller has
 * checked that the user is active; it closes the live sockets after commit.
 */
export async function deactivateInTransaction(
  tx: Kysely<KernelTables>,
  userId: string,
  by: { actorId: string | null; via: DeactivationVia },
): Promise<{ sessions: number; tokens: number }> {
  const now = new Date().toISOString();
  await tx.updateTable("users").set({ deactivated: 1, updated_at: now }).where("id", "=", userId).execute();
  const tokens = await tx
    .updateTable("app_tokens")
    .set({ revoked_at: now })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  await tx.deleteFrom("one_time_tokens").where("user_id", "=", userId).execute();
  const sessions = await tx.deleteFrom("sessions").where("user_id", "=", userId).executeTakeFirst();
  await recordEvent(tx, {
    name: "accounts.user.deactivated",
    actorId: by.actorId,
    resources: { user: userId },
    payload: { via: by.via },
  });
  return { sessions: Number(sessions.numDeletedRows), tokens: Number(tokens.numUpdatedRows) };
}

export interface DeactivationResult {
  /** The account was already deactivated: nothing changed, no event. */
  already: boolean;
  sessions: number;
  tokens: number;
  /** Set when the live sockets could not be closed on every node (Redis unreachable). */
  liveError?: Error;
}

/**
 * Deactivates an account: the CLI, the admin API and the chat's bots all come
 * here. Refuses (409 `conflict`) to deactivate the last active administrator.
 * After the commit, closes the user's WebSockets on every node (4003).
 */
export async function deactivateUser(
  k: Kernel,
  userId: string,
  by: { actorId: string | null; via: DeactivationVia },
): Promise<DeactivationResult> {
  const r = await k.db.transaction().execute(async (tx: Transaction<KernelTables>) => {
    const activeAdmins = await lockAdmins(tx, k.database.kind);
    const user = await tx
      .selectFrom("users")
      .select(["role", "deactivated"])
      .where("id", "=", userId)
      .executeTakeFirst();
    if (!user) throw new AppError("not_found", "no such user");
    if (user.deactivated) return { already: true, sessions: 0, tokens: 0 };
    if (user.role === "admin" && activeAdmins <= 1)
      throw new AppError("conflict", "the organisation must keep at least one active administrator");
    return { already: false, ...(await deactivateInTransaction(tx, userId, by)) };
  });
  if (r.already) return r;
  try {
    await endUserSessions(k, userId);
    return r;
  } catch (e) {
    k.log.warn({ err: e, userId }, "deactivated, but the live connections could not all be closed");
    return { ...r, liveError: e as Error };
  }
}
