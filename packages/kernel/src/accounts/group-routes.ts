import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { z } from "zod";
import { decodeCursor, encodeCursor, pageQuery, uuidv7 } from "@ensemble/protocol";
import type { Kernel } from "../kernel.ts";
import { noContent, route } from "../http/route.ts";
import { recordEvent } from "../events/record-event.ts";
import { foldedContains } from "../db/fold.ts";
import { AppError } from "../errors.ts";
import { authorizeOrg, OrgResource } from "../authz/organisation.ts";
import { findUserById, presentUser } from "./users.ts";
import { GroupResource, UserResource } from "./resources.ts";
import { groupTopic, groupsWithViewer, loadGroup, lockGroup, ownerCount, presentGroup } from "./groups.ts";
import { pageOf } from "@ensemble/protocol/wire/page";
import {
  groupDetailSchema,
  groupMemberRoleSchema,
  groupMemberSchema,
  groupSchema,
} from "@ensemble/protocol/wire/accounts";

const nameSchema = z.string().trim().min(1).max(80);
const descriptionSchema = z.string().trim().max(500);
const memberRole = z.enum(["owner", "member"]);

const createBody = z.object({ name: nameSchema, description: descriptionSchema.default("") }).strict();
const updateBody = z
  .object({ name: nameSchema.optional(), description: descriptionSchema.optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.description !== undefined, { message: "nothing to change" });
const idParams = z.object({ id: z.uuid() });
const memberParams = z.object({ id: z.uuid(), userId: z.uuid() });
const addMemberBody = z.object({ userId: z.uuid(), role: memberRole.default("member") }).strict();
const setRoleBody = z.object({ role: memberRole }).strict();
const listQuery = pageQuery.extend({ q: z.string().trim().max(100).optional() });

/**
 * Groups (teams): members and admins see every group, guests only their own.
 * Group owners (and admins) manage the group; a group always keeps an owner.
 */
export function groupRoutes(app: FastifyInstance, k: Kernel): void {
  const countMembers = async (groupId: string) =>
    Number(
      (
        await k.db
          .selectFrom("group_members")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("group_id", "=", groupId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  route(app, {
    method: "POST",
    url: "/api/groups",
    summary: "Create a group; the creator becomes its owner",
    tags: ["groups"],
    auth: "user",
    response: groupSchema,
    status: 201,
    body: createBody,
    handler: async ({ actor, body }) => {
      await authorizeOrg(k, actor, OrgResource, "create_group");
      const now = new Date().toISOString();
      const group = {
        id: uuidv7(),
        name: body.name,
        description: body.description,
        created_by: actor.id,
        created_at: now,
        updated_at: now,
      };
      await k.db.transaction().execute(async (tx) => {
        await tx.insertInto("groups").values(group).execute();
        await tx
          .insertInto("group_members")
          .values({ group_id: group.id, user_id: actor.id, role: "owner", created_at: now })
          .execute();
        await recordEvent(tx, {
          name: "accounts.group.created",
          actorId: actor.id,
          resources: { group: group.id },
          payload: { name: group.name },
        });
      });
      return presentGroup({ ...group, viewerRole: "owner" }, 1);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/groups",
    summary: "Groups the actor may see (all for members and admins, their own for guests), by name",
    tags: ["groups"],
    auth: "user",
    response: pageOf(groupSchema),
    query: listQuery,
    handler: async ({ actor, query }) => {
      const cursor = decodeCursor(query.cursor);
      if (query.cursor && (!cursor || cursor.length !== 2)) throw new AppError("validation", "bad cursor");
      let q = groupsWithViewer(k.db, actor.id)
        .select((eb) =>
          eb
            .selectFrom("group_members as gm")
            .select(eb.fn.countAll<number>().as("n"))
            .whereRef("gm.group_id", "=", "groups.id")
            .as("memberCount"),
        )
        .where(k.policy.scope(GroupResource, actor)("groups"))
        .orderBy("groups.name")
        .orderBy("groups.id")
        .limit(query.limit + 1);
      if (query.q) q = q.where(foldedContains(k.database, sql.ref("groups.name"), query.q));
      if (cursor) {
        const [name, id] = cursor.map(String) as [string, string];
        q = q.where((eb) =>
          eb.or([eb("groups.name", ">", name), eb.and([eb("groups.name", "=", name), eb("groups.id", ">", id)])]),
        );
      }
      const rows = await q.execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map((g) => presentGroup({ ...g, viewerRole: g.viewerRole ?? null }, Number(g.memberCount ?? 0))),
        next: rows.length > query.limit && last ? encodeCursor([last.name, last.id]) : null,
      };
    },
  });

  /** One page of a group's members, by display name; a group may hold the whole organisation. */
  const memberPage = async (groupId: string, limit: number, cursor: (string | number)[] | null) => {
    let q = k.db
      .selectFrom("group_members")
      .innerJoin("users", "users.id", "group_members.user_id")
      .selectAll("users")
      .select(["group_members.role as memberRole", "group_members.created_at as addedAt"])
      .where("group_members.group_id", "=", groupId)
      .orderBy("users.display_name")
      .orderBy("users.id")
      .limit(limit + 1);
    if (cursor) {
      const [name, id] = cursor.map(String) as [string, string];
      q = q.where((eb) =>
        eb.or([
          eb("users.display_name", ">", name),
          eb.and([eb("users.display_name", "=", name), eb("users.id", ">", id)]),
        ]),
      );
    }
    const rows = await q.execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((m) => ({ user: presentUser(m), role: m.memberRole, addedAt: m.addedAt })),
      next: rows.length > limit && last ? encodeCursor([last.display_name, last.id]) : null,
    };
  };

  route(app, {
    method: "GET",
    url: "/api/groups/:id",
    summary: "A group with the first page of its members (the rest from /members with membersNext)",
    tags: ["groups"],
    auth: "user",
    response: groupDetailSchema,
    params: idParams,
    handler: async ({ actor, params }) => {
      const g = await k.policy.authorize(actor, GroupResource, "read", await loadGroup(k.db, params.id, actor));
      const members = await memberPage(g.id, 100, null);
      return { ...presentGroup(g, await countMembers(g.id)), members: members.items, membersNext: members.next };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/groups/:id/members",
    summary: "A group's members, by display name, with cursor pagination",
    tags: ["groups"],
    auth: "user",
    response: pageOf(groupMemberSchema),
    params: idParams,
    query: pageQuery,
    handler: async ({ actor, params, query }) => {
      const g = await k.policy.authorize(actor, GroupResource, "read", await loadGroup(k.db, params.id, actor));
      const cursor = decodeCursor(query.cursor);
      if (query.cursor && (!cursor || cursor.length !== 2)) throw new AppError("validation", "bad cursor");
      return memberPage(g.id, query.limit, cursor);
    },
  });

  route(app, {
    method: "PATCH",
    url: "/api/groups/:id",
    summary: "Rename a group or change its description",
    tags: ["groups"],
    auth: "user",
    response: groupSchema,
    params: idParams,
    body: updateBody,
    handler: async ({ actor, params, body }) => {
      const g = await k.policy.authorize(actor, GroupResource, "update", await loadGroup(k.db, params.id, actor));
      const next = {
        ...g,
        name: body.name ?? g.name,
        description: body.description ?? g.description,
        updated_at: new Date().toISOString(),
      };
      await k.db.transaction().execute(async (tx) => {
        await tx
          .updateTable("groups")
          .set({ name: next.name, description: next.description, updated_at: next.updated_at })
          .where("id", "=", g.id)
          .execute();
        await recordEvent(tx, {
          name: "accounts.group.updated",
          actorId: actor.id,
          resources: { group: g.id },
          payload: { name: next.name, description: next.description },
          topics: [groupTopic(g.id)],
        });
      });
      return presentGroup(next, await countMembers(g.id));
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/groups/:id",
    summary: "Delete a group (its memberships go with it)",
    tags: ["groups"],
    auth: "user",
    response: noContent,
    params: idParams,
    handler: async ({ actor, params }) => {
      const g = await k.policy.authorize(actor, GroupResource, "delete", await loadGroup(k.db, params.id, actor));
      const formerMembers = await k.db.transaction().execute(async (tx) => {
        // Modules that granted access by group learn who lost it from the member list in the event.
        const members = await tx.selectFrom("group_members").select("user_id").where("group_id", "=", g.id).execute();
        await tx.deleteFrom("groups").where("id", "=", g.id).execute();
        await recordEvent(tx, {
          name: "accounts.group.deleted",
          actorId: actor.id,
          resources: { group: g.id },
          payload: { name: g.name, memberIds: members.map((m) => m.user_id) },
          topics: [groupTopic(g.id)],
        });
        return members.map((m) => m.user_id);
      });
      // Live subscriptions granted through the group are re-checked at once, on every node.
      for (const id of formerMembers) await k.realtime.reauthorize(id);
      return undefined;
    },
  });

  route(app, {
    method: "POST",
    url: "/api/groups/:id/members",
    summary: "Add a person to a group",
    tags: ["groups"],
    auth: "user",
    response: groupMemberSchema,
    status: 201,
    params: idParams,
    body: addMemberBody,
    handler: async ({ actor, params, body }) => {
      const g = await k.policy.authorize(actor, GroupResource, "add_member", await loadGroup(k.db, params.id, actor));
      // One may only add people one can see: a guest owner cannot probe the directory.
      const user = await k.policy.authorize(actor, UserResource, "read", await findUserById(k.db, body.userId));
      if (user.deactivated) throw new AppError("conflict", "this account is deactivated");
      const now = new Date().toISOString();
      await k.db.transaction().execute(async (tx) => {
        await lockGroup(tx, k.database.kind, g.id);
        const existing = await tx
          .selectFrom("group_members")
          .select("role")
          .where("group_id", "=", g.id)
          .where("user_id", "=", user.id)
          .executeTakeFirst();
        if (existing) throw new AppError("conflict", "this person is already a member of the group");
        await tx
          .insertInto("group_members")
          .values({ group_id: g.id, user_id: user.id, role: body.role, created_at: now })
          .execute();
        await recordEvent(tx, {
          name: "accounts.group_member.added",
          actorId: actor.id,
          resources: { group: g.id, user: user.id },
          payload: { role: body.role },
          topics: [groupTopic(g.id), `user:${user.id}`],
        });
      });
      return { user: presentUser(user), role: body.role, addedAt: now };
    },
  });

  route(app, {
    method: "PATCH",
    url: "/api/groups/:id/members/:userId",
    summary: "Make a member an owner, or an owner a member (the last owner stays)",
    tags: ["groups"],
    auth: "user",
    response: groupMemberRoleSchema,
    params: memberParams,
    body: setRoleBody,
    handler: async ({ actor, params, body }) => {
      const g = await k.policy.authorize(actor, GroupResource, "update", await loadGroup(k.db, params.id, actor));
      await k.db.transaction().execute(async (tx) => {
        await lockGroup(tx, k.database.kind, g.id);
        const m = await tx
          .selectFrom("group_members")
          .select("role")
          .where("group_id", "=", g.id)
          .where("user_id", "=", params.userId)
          .executeTakeFirst();
        if (!m) throw new AppError("not_found", "this person is not a member of the group");
        if (m.role === "owner" && body.role === "member" && (await ownerCount(tx, g.id)) <= 1) {
          throw new AppError("conflict", "a group must keep at least one owner");
        }
        await tx
          .updateTable("group_members")
          .set({ role: body.role })
          .where("group_id", "=", g.id)
          .where("user_id", "=", params.userId)
          .execute();
        await recordEvent(tx, {
          name: "accounts.group_member.role_changed",
          actorId: actor.id,
          resources: { group: g.id, user: params.userId },
          payload: { role: body.role },
          topics: [groupTopic(g.id)],
        });
      });
      await k.realtime.reauthorize(params.userId);
      return { userId: params.userId, role: body.role };
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/groups/:id/members/:userId",
    summary: "Remove a person from a group (anyone may leave a group; the last owner stays)",
    tags: ["groups"],
    auth: "user",
    response: noContent,
    params: memberParams,
    handler: async ({ actor, params }) => {
      const loaded = await loadGroup(k.db, params.id, actor);
      const g =
        params.userId === actor.id
          ? await k.policy.authorize(actor, GroupResource, "read", loaded)
          : await k.policy.authorize(actor, GroupResource, "remove_member", loaded);
      await k.db.transaction().execute(async (tx) => {
        await lockGroup(tx, k.database.kind, g.id);
        const m = await tx
          .selectFrom("group_members")
          .select("role")
          .where("group_id", "=", g.id)
          .where("user_id", "=", params.userId)
          .executeTakeFirst();
        if (!m) throw new AppError("not_found", "this person is not a member of the group");
        if (m.role === "owner" && (await ownerCount(tx, g.id)) <= 1) {
          throw new AppError("conflict", "a group must keep at least one owner");
        }
        await tx
          .deleteFrom("group_members")
          .where("group_id", "=", g.id)
          .where("user_id", "=", params.userId)
          .execute();
        await recordEvent(tx, {
          name: "accounts.group_member.removed",
          actorId: actor.id,
          resources: { group: g.id, user: params.userId },
          payload: {},
          topics: [groupTopic(g.id), `user:${params.userId}`],
        });
      });
      await k.realtime.reauthorize(params.userId);
      return undefined;
    },
  });
}
