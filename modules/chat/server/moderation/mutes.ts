import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AppError, audit, noContent, recordEvent, route, type Kernel, type UserActor } from "@ensemble/kernel";
import { roomTopic } from "../../shared/resources.ts";
import { ChatRoomResource } from "../resources.ts";
import { loadRoom, moderatesRoom, roleOf } from "../rooms.ts";
import { userTopic } from "../members.ts";
import { chatDb } from "../tables.ts";
import { muteListSchema, muteSetSchema } from "../../shared/moderation-wire.ts";

const muteBody = z
  .object({
    userId: z.uuid(),
    /** For how long; omitted or null: until a moderator unmutes. */
    minutes: z.number().int().min(1).max(525_600).nullable().optional(),
  })
  .strict();

/** Moderators silence a member of a room: they keep reading but cannot post until unmuted or the mute expires. */
export function muteRoutes(app: FastifyInstance, k: Kernel): void {
  const db = chatDb(k);

  const change = async (
    actor: UserActor,
    roomId: string,
    userId: string,
    until: string | null,
    muted: boolean,
    ip: string,
  ) => {
    await db.transaction().execute(async (tx) => {
      if (muted) {
        await tx
          .insertInto("chat_mutes")
          .values({ room_id: roomId, user_id: userId, until, muted_by: actor.id, created_at: new Date().toISOString() })
          .onConflict((oc) => oc.columns(["room_id", "user_id"]).doUpdateSet({ until, muted_by: actor.id }))
          .execute();
      } else {
        await tx.deleteFrom("chat_mutes").where("room_id", "=", roomId).where("user_id", "=", userId).execute();
      }
      await recordEvent(tx, {
        name: "chat.mute.changed",
        actorId: actor.id,
        resources: { room: roomId, user: userId },
        payload: { roomId, userId, until, muted },
        topics: [roomTopic(roomId), userTopic(userId)],
      });
      await audit(tx, {
        actorId: actor.id,
        action: muted ? "chat.member.muted" : "chat.member.unmuted",
        target: { type: "user", id: userId },
        ip,
        details: { roomId, until },
      });
    });
  };

  route(app, {
    method: "POST",
    url: "/api/chat/rooms/:id/mutes",
    summary: "Mute a member of the room (moderators): they cannot post until unmuted or the time is up",
    tags: ["chat", "moderation"],
    auth: "user",
    params: z.object({ id: z.uuid() }),
    body: muteBody,
    response: muteSetSchema,
    handler: async ({ actor, params, body, req }) => {
      const room = await k.policy.authorize(
        actor,
        ChatRoomResource,
        "moderate",
        await loadRoom(chatDb(k), params.id, actor),
      );
      if (body.userId === actor.id)
        throw new AppError("validation", "you cannot mute yourself", {
          errors: [{ path: "userId", message: "yourself" }],
        });
      const role = await roleOf(chatDb(k), room.id, body.userId);
      if (!role) throw new AppError("not_found", "this person is not a member of the room");
      const user = await db
        .selectFrom("users")
        .select(["id", "username", "role"])
        .where("id", "=", body.userId)
        .executeTakeFirstOrThrow();
      // Someone who moderates the room cannot be silenced by a peer.
      if (await moderatesRoom(k, user, room, role))
        throw new AppError("forbidden", "moderators of the room cannot be muted");
      const until = body.minutes ? new Date(Date.now() + body.minutes * 60_000).toISOString() : null;
      await change(actor, room.id, body.userId, until, true, req.ip);
      return { roomId: room.id, userId: body.userId, until };
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/chat/rooms/:id/mutes/:userId",
    summary: "Unmute a member of the room (moderators)",
    tags: ["chat", "moderation"],
    auth: "user",
    params: z.object({ id: z.uuid(), userId: z.uuid() }),
    response: noContent,
    handler: async ({ actor, params, req }) => {
      const room = await k.policy.authorize(
        actor,
        ChatRoomResource,
        "moderate",
        await loadRoom(chatDb(k), params.id, actor),
      );
      const m = await db
        .selectFrom("chat_mutes")
        .select("user_id")
        .where("room_id", "=", room.id)
        .where("user_id", "=", params.userId)
        .executeTakeFirst();
      if (!m) throw new AppError("not_found", "this person is not muted here");
      await change(actor, room.id, params.userId, null, false, req.ip);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/rooms/:id/mutes",
    summary: "Members muted in the room (moderators)",
    tags: ["chat", "moderation"],
    auth: "user",
    params: z.object({ id: z.uuid() }),
    response: muteListSchema,
    handler: async ({ actor, params }) => {
      const room = await k.policy.authorize(
        actor,
        ChatRoomResource,
        "moderate",
        await loadRoom(chatDb(k), params.id, actor),
      );
      const now = new Date().toISOString();
      const rows = await db
        .selectFrom("chat_mutes")
        .innerJoin("users", "users.id", "chat_mutes.user_id")
        .select([
          "users.id",
          "users.username",
          "users.display_name",
          "chat_mutes.until",
          "chat_mutes.muted_by",
          "chat_mutes.created_at",
        ])
        .where("chat_mutes.room_id", "=", room.id)
        .where((eb) => eb.or([eb("chat_mutes.until", "is", null), eb("chat_mutes.until", ">", now)]))
        .orderBy("chat_mutes.created_at")
        .execute();
      return {
        items: rows.map((r) => ({
          user: { id: r.id, username: r.username, displayName: r.display_name },
          until: r.until,
          mutedBy: r.muted_by,
          mutedAt: r.created_at,
        })),
      };
    },
  });
}
