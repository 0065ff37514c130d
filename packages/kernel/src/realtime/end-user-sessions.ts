import type { Kernel } from "../kernel.ts";

/**
 * Ends everything a user has open: deletes their sessions (so no cookie
 * authenticates any more) and closes their WebSockets on every node with close
 * code 4003. Call it after deactivating a user, or on "sign out everywhere".
 */
export async function endUserSessions(k: Kernel, userId: string): Promise<number> {
  const r = await k.db.deleteFrom("sessions").where("user_id", "=", userId).executeTakeFirst();
  await k.realtime.disconnectUser(userId);
  return Number(r.numDeletedRows);
}
