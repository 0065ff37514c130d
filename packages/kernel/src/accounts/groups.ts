import { sql, type Kysely, type Transaction } from "kysely";
import type { DbKind } from "../db/database.ts";
import type { GroupsTable, KernelTables } from "../db/tables.ts";
import { isUser, type Actor } from "../authz/actor.ts";
import type { Kernel } from "../kernel.ts";
import type { TopicDefinition } from "../realtime/gateway.ts";
import { GroupResource } from "./resources.ts";
import type { Group } from "@ensemble/protocol/wire/accounts";

export type GroupRow = GroupsTable & { viewerRole: "owner" | "member" | null };

/** A group with the actor's own role in it: what the group policy decides on. */
export async function loadGroup(db: Kysely<KernelTables>, id: string, actor: Actor): Promise<GroupRow | undefined> {
  const g = await db.selectFrom("groups").selectAll().where("id", "=", id).executeTakeFirst();
  if (!g) return undefined;
  if (!isUser(actor)) return { ...g, viewerRole: null };
  const m = await db
    .selectFrom("group_members")
    .select("role")
    .where("group_id", "=", id)
    .where("user_id", "=", actor.id)
    .executeTakeFirst();
  return { ...g, viewerRole: m?.role ?? null };
}

/** Groups with the viewer's role in each (a left join: null when not a member), for lists to present. */
export function groupsWithViewer(db: Kysely<KernelTables>, userId: string) {
  return db
    .selectFrom("groups")
    .leftJoin("group_members as mine", (j) =>
      j.onRef("mine.group_id", "=", "groups.id").on("mine.user_id", "=", userId),
    )
    .selectAll("groups")
    .select("mine.role as viewerRole");
}

/** Whether two users belong to at least one common group. */
export async function shareAGroup(db: Kysely<KernelTables>, a: string, b: string): Promise<boolean> {
  if (a === b) return true;
  const row = await db
    .selectFrom("group_members as m1")
    .innerJoin("group_members as m2", "m2.group_id", "m1.group_id")
    .select("m1.group_id")
    .where("m1.user_id", "=", a)
    .where("m2.user_id", "=", b)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Serialises concurrent membership changes of one group, so that two owners
 * demoting each other at once cannot leave the group without an owner.
 * SQLite transactions are already serialised on the one connection.
 */
export async function lockGroup(tx: Transaction<KernelTables>, kind: DbKind, groupId: string): Promise<void> {
  if (kind === "postgres") await sql`select id from groups where id = ${groupId} for update`.execute(tx);
}

export async function ownerCount(db: Kysely<KernelTables>, groupId: string): Promise<number> {
  const r = await db
    .selectFrom("group_members")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("group_id", "=", groupId)
    .where("role", "=", "owner")
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function presentGroup(g: GroupRow, memberCount: number): Group {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    memberCount,
    viewerRole: g.viewerRole,
    createdAt: g.created_at,
    updatedAt: g.updated_at,
  };
}

export const groupTopic = (groupId: string) => `group:${groupId}`;

/** `group:<id>` carries a group's changes to whoever may read the group, re-checked when membership changes. */
export function groupTopics(k: Kernel): TopicDefinition {
  return {
    prefix: "group:",
    authorizeTopic: async (actor, topic) => {
      const id = topic.slice("group:".length);
      const g = await loadGroup(k.db, id, actor);
      return g !== undefined && (await k.policy.can(actor, GroupResource, "read", g));
    },
  };
}
