import { expressionBuilder, type Expression, type SqlBool } from "kysely";
import type { KernelTables, UserActor } from "@ensemble/kernel";
import { strongerLevel, type ShareLevel } from "../shared/share-levels.ts";
import type { FilesDb } from "./tables.ts";
import type { ShareAccess } from "./resources.ts";
import type { Node } from "./tree.ts";

const eb = expressionBuilder<KernelTables>();

/** The groups a person is in, as a sub-query. */
export const groupsOf = (userId: string) =>
  eb.selectFrom("group_members").select("group_id").where("user_id", "=", userId);

/**
 * A share row is for this person: addressed to them or to a group they are in, and not expired.
 * Used by the access computation and by the visibility of shares, so both say the same thing.
 */
export function forRecipient(
  userId: string,
  col: { user: Expression<string | null>; group: Expression<string | null>; expires: Expression<string | null> },
  now: string,
): Expression<SqlBool> {
  return eb.and([
    eb.or([eb(col.user, "=", userId), eb(col.group, "in", groupsOf(userId))]),
    eb.or([eb(col.expires, "is", null), eb(col.expires, ">", now)]),
  ]);
}

/**
 * What the live shares on a node's chain (root first, the node last) give this person: null when
 * none reaches them. One statement whatever the depth.
 */
export async function shareAccess(db: FilesDb, actor: UserActor, chain: readonly Node[]): Promise<ShareAccess | null> {
  if (chain.length === 0) return null;
  const rows = await db
    .selectFrom("files_shares as s")
    .select(["s.node_id", "s.permission"])
    .where(
      "s.node_id",
      "in",
      chain.map((n) => n.id),
    )
    .where((w) =>
      forRecipient(
        actor.id,
        { user: w.ref("s.recipient_user_id"), group: w.ref("s.recipient_group_id"), expires: w.ref("s.expires_at") },
        new Date().toISOString(),
      ),
    )
    .execute();
  if (rows.length === 0) return null;
  const self = chain.at(-1)!.id;
  let level: ShareLevel | null = null;
  let above: ShareLevel | null = null;
  for (const r of rows) {
    level = strongerLevel(level, r.permission);
    if (r.node_id !== self) above = strongerLevel(above, r.permission);
  }
  const shared = new Set(rows.map((r) => r.node_id));
  return { level: level!, above, rootId: chain.find((n) => shared.has(n.id))!.id };
}
