import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { decodeCursor, encodeCursor } from "@ensemble/protocol";
import { AppError, noContent, recordEvent, route, type Kernel, type UserActor } from "@ensemble/kernel";
import { GroupResource } from "@ensemble/kernel";
import { loadGroup } from "@ensemble/kernel";
import { roomTopic } from "../shared/resources.ts";
import {
  inviteBody,
  leaveBody,
  preferencesBody,
  setMemberRoleBody,
  roomSchema,
  type MemberAction,
} from "../shared/schemas.ts";
import { ChatRoomResource, type RoomRecord } from "./resources.ts";
import { loadRoom, moderatesRoom } from "./rooms.ts";
import { addMembers, lockRoom, ownerCount, removeMember, userTopic } from "./members.ts";
import { roomView } from "./read-state.ts";
import { visibleUsers } from "./room-routes.ts";
import { chatDb } from "./tables.ts";
import "./events.ts";
import { invitedSchema, memberPageSchema, memberRoleChangedSchema } from "../shared/room-wire.ts";

const idParams = z.object({ id: z.uuid() });
const memberParams = z.object({ id: z.uuid(), userId: z.uuid() });
const membersQuery = z.object({
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Joining, leaving, inviting people or whole groups, removing, roles, and per-member preferences. */
export function memberRoutes(app: FastifyInstance, k: Kernel): void {
  const db = chatDb(k);

  /** After commit: a member who may no longer read the room loses its live feed at once, on every node. */
  const revokeIfUnreadable = async (room: RoomRecord, userId: string) => {
    const user = await db
      .selectFrom("users")
      .select(["id", "username", "role"])
      .where("id", "=", userId)
      .executeTakeFirst();
    const asUser: UserActor | null = user
      ? {
          kind: "user",
          id: user.id,
          username: user.username,
          role: user.role,
          scopes: null,
          sessionId: null,
          tokenId: null,
        }
      : null;
    const still = asUser && (await k.policy.can(asUser, ChatRoomResource, "read", { ...room, viewerRole: null }));
    if (!still) await k.realtime.revoke(userId, { topic: roomTopic(room.id) });
  };

  route(app, {
    method: "POST",
    url: "/api/chat/rooms/:id/join",
    summary: "Join a public channel",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    response: roomSchema,
    handler: async ({ actor, params }) => {
      const r = await k.policy.authorize(actor, ChatRoomResource, "join", await loadRoom(db, params.id, actor));
      await db.transaction().execute((tx) => addMembers(tx, r.id, [actor.id], { actorId: actor.id }));
      return roomView(k, { ...r, viewerRole: "member" }, actor);
    },
  });

  route(app, {
    method: "POST",
    url: "/api/chat/rooms/:id/leave",
    summary: "Leave a room; the last owner names a new owner first (newOwnerId)",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    body: leaveBody,
    response: noContent,
    handler: async ({ actor, params, body }) => {
      const r = await k.policy.authorize(actor, ChatRoomResource, "read", await loadRoom(db, params.id, actor));
      if (r.viewerRole === null) throw new AppError("conflict", "you are not a member of this room");
      if (r.is_default === 1) throw new AppError("conflict", "everyone stays in the default channel");
      if (r.type === "dm" && (r.dm_key ?? "").split(",").length <= 2)
        throw new AppError("conflict", "a direct conversation cannot be left; hide it instead");
      await db.transaction().execute(async (tx) => {
        await lockRoom(tx, r.id);
        const me = await tx
          .selectFrom("chat_members")
          .select("role")
          .where("room_id", "=", r.id)
          .where("user_id", "=", actor.id)
          .executeTakeFirst();
        if (!me) throw new AppError("conflict", "you are not a member of this room");
        if (me.role === "owner" && (await ownerCount(tx, r.id)) <= 1) {
          const heir = body.newOwnerId
            ? await tx
                .selectFrom("chat_members")
                .select("user_id")
                .where("room_id", "=", r.id)
                .where("user_id", "=", body.newOwnerId)
                .executeTakeFirst()
            : undefined;
          const others = await tx
            .selectFrom("chat_members")
            .select("user_id")
            .where("room_id", "=", r.id)
            .where("user_id", "!=", actor.id)
            .limit(1)
            .execute();
          if (others.length && (!heir || heir.user_id === actor.id)) {
            throw new AppError(
              "conflict",
              "you are the last owner: hand the room over to another member first (newOwnerId)",
            );
          }
          if (heir) {
            await tx
              .updateTable("chat_members")
              .set({ role: "owner" })
              .where("room_id", "=", r.id)
              .where("user_id", "=", heir.user_id)
              .execute();
            await recordEvent(tx, {
              name: "chat.member.role_changed",
              actorId: actor.id,
              resources: { room: r.id, user: heir.user_id },
              payload: { roomId: r.id, userId: heir.user_id, role: "owner" },
              topics: [roomTopic(r.id), userTopic(heir.user_id)],
            });
          }
        }
        await removeMember(tx, r.id, actor.id, { actorId: actor.id, left: true });
      });
      await revokeIfUnreadable(r, actor.id);
      return undefined;
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/rooms/:id/members",
    summary: "Members of a room, by name",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    query: membersQuery,
    response: memberPageSchema,
    handler: async ({ actor, params, query }) => {
      const r = await k.policy.authorize(actor, ChatRoomResource, "read", await loadRoom(db, params.id, actor));
      const cursor = decodeCursor(query.cursor);
      if (query.cursor && (!cursor || cursor.length !== 2)) throw new AppError("validation", "bad cursor");
      let q = db
        .selectFrom("chat_members")
        .innerJoin("users", "users.id", "chat_members.user_id")
        .select([
          "users.id",
          "users.username",
          "users.display_name",
          "users.role as orgRole",
          "chat_members.role",
          "chat_members.joined_at",
        ])
        .where("chat_members.room_id", "=", r.id)
        .orderBy("users.display_name")
        .orderBy("users.id")
        .limit(query.limit + 1);
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
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const may = {
        moderate: await k.policy.can(actor, ChatRoomResource, "moderate", r),
        remove: await k.policy.can(actor, ChatRoomResource, "remove_member", r),
      };
      const items = [];
      for (const m of page) {
        const actions: MemberAction[] = [];
        if (m.id !== actor.id) {
          // Whoever moderates the room cannot be muted by a peer (the mute route asks the same question).
          if (may.moderate && !(await moderatesRoom(k, { id: m.id, username: m.username, role: m.orgRole }, r, m.role)))
            actions.push("mute");
          if (may.remove) actions.push("remove");
        }
        items.push({
          user: { id: m.id, username: m.username, displayName: m.display_name, role: m.orgRole },
          role: m.role,
          joinedAt: m.joined_at,
          actions,
        });
      }
      return {
        items,
        next: rows.length > query.limit && last ? encodeCursor([last.display_name, last.id]) : null,
      };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/chat/rooms/:id/members",
    summary: "Invite people, or every member of groups, into a room",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    body: inviteBody,
    response: invitedSchema,
    handler: async ({ actor, params, body }) => {
      const r = await k.policy.authorize(actor, ChatRoomResource, "invite", await loadRoom(db, params.id, actor));
      const users = await visibleUsers(k, actor, body.userIds);
      const byGroup: { groupId: string; userIds: string[] }[] = [];
      for (const groupId of body.groupIds) {
        const g = await k.policy.authorize(actor, GroupResource, "read", await loadGroup(k.db, groupId, actor));
        const members = await db.selectFrom("group_members").select("user_id").where("group_id", "=", g.id).execute();
        byGroup.push({ groupId: g.id, userIds: members.map((m) => m.user_id) });
      }
      const added = await db.transaction().execute(async (tx) => {
        await lockRoom(tx, r.id);
        const out = await addMembers(tx, r.id, users, { actorId: actor.id });
        for (const g of byGroup)
          out.push(...(await addMembers(tx, r.id, g.userIds, { actorId: actor.id, viaGroupId: g.groupId })));
        return out;
      });
      return { added };
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/chat/rooms/:id/members/:userId",
    summary: "Remove someone from a room (their live feed of it is cut at once)",
    tags: ["chat"],
    auth: "user",
    params: memberParams,
    response: noContent,
    handler: async ({ actor, params }) => {
      if (params.userId === actor.id) throw new AppError("validation", "use /leave to leave a room");
      const r = await k.policy.authorize(
        actor,
        ChatRoomResource,
        "remove_member",
        await loadRoom(db, params.id, actor),
      );
      await db.transaction().execute(async (tx) => {
        await lockRoom(tx, r.id);
        const m = await tx
          .selectFrom("chat_members")
          .select("role")
          .where("room_id", "=", r.id)
          .where("user_id", "=", params.userId)
          .executeTakeFirst();
        if (!m) throw new AppError("not_found", "this person is not a member of the room");
        if (m.role === "owner" && (await ownerCount(tx, r.id)) <= 1)
          throw new AppError("conflict", "a room must keep at least one owner");
        await removeMember(tx, r.id, params.userId, { actorId: actor.id, left: false });
      });
      await revokeIfUnreadable(r, params.userId);
      return undefined;
    },
  });

  route(app, {
    method: "PATCH",
    url: "/api/chat/rooms/:id/members/:userId",
    summary: "Change a member's role (owner, moderator, member); a room keeps an owner",
    tags: ["chat"],
    auth: "user",
    params: memberParams,
    body: setMemberRoleBody,
    response: memberRoleChangedSchema,
    handler: async ({ actor, params, body }) => {
      const r = await k.policy.authorize(actor, ChatRoomResource, "manage", await loadRoom(db, params.id, actor));
      await db.transaction().execute(async (tx) => {
        await lockRoom(tx, r.id);
        const m = await tx
          .selectFrom("chat_members")
          .select("role")
          .where("room_id", "=", r.id)
          .where("user_id", "=", params.userId)
          .executeTakeFirst();
        if (!m) throw new AppError("not_found", "this person is not a member of the room");
        if (m.role === "owner" && body.role !== "owner" && (await ownerCount(tx, r.id)) <= 1)
          throw new AppError("conflict", "a room must keep at least one owner");
        await tx
          .updateTable("chat_members")
          .set({ role: body.role })
          .where("room_id", "=", r.id)
          .where("user_id", "=", params.userId)
          .execute();
        await recordEvent(tx, {
          name: "chat.member.role_changed",
          actorId: actor.id,
          resources: { room: r.id, user: params.userId },
          payload: { roomId: r.id, userId: params.userId, role: body.role },
          topics: [roomTopic(r.id), userTopic(params.userId)],
        });
      });
      return { userId: params.userId, role: body.role };
    },
  });

  route(app, {
    method: "PATCH",
    url: "/api/chat/rooms/:id/preferences",
    summary: "Favourite, mute or hide a room (for the actor only)",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    body: preferencesBody,
    response: roomSchema,
    handler: async ({ actor, params, body }) => {
      const r = await k.policy.authorize(actor, ChatRoomResource, "read", await loadRoom(db, params.id, actor));
      if (r.viewerRole === null) throw new AppError("conflict", "join the room first");
      const patch = {
        ...(body.favourite === undefined ? {} : { favourite: body.favourite ? 1 : 0 }),
        ...(body.muted === undefined ? {} : { muted: body.muted ? 1 : 0 }),
        ...(body.hidden === undefined ? {} : { hidden: body.hidden ? 1 : 0 }),
      };
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable("chat_members")
          .set(patch)
          .where("room_id", "=", r.id)
          .where("user_id", "=", actor.id)
          .execute();
        const m = await tx
          .selectFrom("chat_members")
          .select(["favourite", "muted", "hidden"])
          .where("room_id", "=", r.id)
          .where("user_id", "=", actor.id)
          .executeTakeFirstOrThrow();
        await recordEvent(tx, {
          name: "chat.preferences.updated",
          actorId: actor.id,
          resources: { room: r.id, user: actor.id },
          payload: {
            roomId: r.id,
            favourite: Number(m.favourite) === 1,
            muted: Number(m.muted) === 1,
            hidden: Number(m.hidden) === 1,
          },
          topics: [userTopic(actor.id)],
        });
      });
      return roomView(k, r, actor);
    },
  });
}
