import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { z } from "zod";
import { decodeCursor, encodeCursor, uuidv7 } from "@ensemble/protocol";
import { AppError, authorizeOrg, mayInOrg, recordEvent, route, type Kernel, type UserActor } from "@ensemble/kernel";
import { foldedContains } from "@ensemble/kernel";
import { UserResource } from "@ensemble/kernel";
import { findUserById } from "@ensemble/kernel";
import { roomTopic } from "../shared/resources.ts";
import {
  createRoomBody,
  directoryQuery,
  MAX_DM_MEMBERS,
  openDirectBody,
  updateRoomBody,
  roomSchema,
} from "../shared/schemas.ts";
import { ChatOrgResource, ChatRoomResource } from "./resources.ts";
import {
  loadRoom,
  loadRoomBySlug,
  memberCount,
  presentPublicRoom,
  roomRecord,
  roomSettings,
  roomsWithViewer,
} from "./rooms.ts";
import { addMembers } from "./members.ts";
import { freeSlugFor } from "./room-slug.ts";
import { roomView } from "./read-state.ts";
import { isUniqueViolation } from "@ensemble/kernel";
import { chatDb, type ChatDb, type ChatRoomsTable } from "./tables.ts";
import "./events.ts";
import { roomPageSchema } from "../shared/room-wire.ts";

const idParams = z.object({ id: z.uuid() });

/** People the actor names must exist, be active and be visible to them (a guest cannot probe the directory). */
export async function visibleUsers(k: Kernel, actor: UserActor, ids: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const id of new Set(ids)) {
    const u = await k.policy.authorize(actor, UserResource, "read", await findUserById(k.db, id));
    if (u.deactivated) throw new AppError("conflict", "this account is deactivated");
    out.push(u.id);
  }
  return out;
}

async function publishRoomUpdate(
  tx: ChatDb,
  actorId: string,
  room: ChatRoomsTable,
  name: "chat.room.updated" | "chat.room.created",
) {
  await recordEvent(tx, {
    name,
    actorId,
    resources: { room: room.id },
    payload: { room: presentPublicRoom(room, await memberCount(tx, room.id)) },
    topics: [roomTopic(room.id)],
  });
}

/** Channels, private groups and DMs: create, read, change, archive, directory, open a DM. */
export function roomRoutes(app: FastifyInstance, k: Kernel): void {
  const db = chatDb(k);

  route(app, {
    method: "POST",
    url: "/api/chat/rooms",
    summary: "Create a public channel or a private group; the creator owns it",
    tags: ["chat"],
    auth: "user",
    body: createRoomBody,
    response: roomSchema,
    status: 201,
    handler: async ({ actor, body }) => {
      await authorizeOrg(k, actor, ChatOrgResource, body.type === "channel" ? "create_channel" : "create_private");
      const members = await visibleUsers(
        k,
        actor,
        body.memberIds.filter((id) => id !== actor.id),
      );
      const now = new Date().toISOString();
      // The schema ensures a name that yields an address when none is given.
      const slug = body.slug ?? (await freeSlugFor(db, body.name ?? ""));
      const room: ChatRoomsTable = {
        id: uuidv7(),
        type: body.type,
        slug,
        name: body.name ?? slug,
        topic: body.topic,
        description: body.description,
        announcement: body.announcement ? 1 : 0,
        is_default: 0,
        dm_key: null,
        settings: JSON.stringify({ membersCanMentionAll: false, membersCanInvite: true }),
        archived_at: null,
        created_by: actor.id,
        created_at: now,
        updated_at: now,
        last_seq: 0,
        last_message_at: null,
      };
      try {
        await db.transaction().execute(async (tx) => {
          await tx.insertInto("chat_rooms").values(room).execute();
          await addMembers(tx, room.id, [actor.id], { role: "owner", actorId: actor.id });
          await addMembers(tx, room.id, members, { actorId: actor.id });
          await publishRoomUpdate(tx, actor.id, room, "chat.room.created");
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw new AppError("conflict", "a room with this name already exists");
        throw e;
      }
      return roomView(k, { ...room, viewerRole: "owner", viewerMute: null }, actor);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/rooms/:id",
    summary: "A room with the viewer's membership, unread and mention counts",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    response: roomSchema,
    handler: async ({ actor, params }) =>
      roomView(
        k,
        await k.policy.authorize(actor, ChatRoomResource, "read", await loadRoom(db, params.id, actor)),
        actor,
      ),
  });

  route(app, {
    method: "GET",
    url: "/api/chat/rooms/by-slug/:slug",
    summary: "A channel or private group by its name (the target of a #channel link)",
    tags: ["chat"],
    auth: "user",
    params: z.object({ slug: z.string().min(1).max(80) }),
    response: roomSchema,
    handler: async ({ actor, params }) =>
      roomView(
        k,
        await k.policy.authorize(actor, ChatRoomResource, "read", await loadRoomBySlug(db, params.slug, actor)),
        actor,
      ),
  });

  route(app, {
    method: "PATCH",
    url: "/api/chat/rooms/:id",
    summary: "Rename a room, change its topic, description, announcement mode or member permissions",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    body: updateRoomBody,
    response: roomSchema,
    handler: async ({ actor, params, body }) => {
      const r = await k.policy.authorize(actor, ChatRoomResource, "manage", await loadRoom(db, params.id, actor));
      const settings = { ...roomSettings(r) };
      if (body.membersCanMentionAll !== undefined) settings.membersCanMentionAll = body.membersCanMentionAll;
      if (body.membersCanInvite !== undefined) settings.membersCanInvite = body.membersCanInvite;
      const next: ChatRoomsTable = {
        ...r,
        slug: body.slug ?? r.slug,
        name: body.name ?? r.name,
        topic: body.topic ?? r.topic,
        description: body.description ?? r.description,
        announcement: body.announcement === undefined ? r.announcement : body.announcement ? 1 : 0,
        settings: JSON.stringify(settings),
        updated_at: new Date().toISOString(),
      };
      try {
        await db.transaction().execute(async (tx) => {
          await tx
            .updateTable("chat_rooms")
            .set({
              slug: next.slug,
              name: next.name,
              topic: next.topic,
              description: next.description,
              announcement: next.announcement,
              settings: next.settings,
              updated_at: next.updated_at,
            })
            .where("id", "=", r.id)
            .execute();
          await publishRoomUpdate(tx, actor.id, next, "chat.room.updated");
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw new AppError("conflict", "a room with this name already exists");
        throw e;
      }
      return roomView(k, { ...next, viewerRole: r.viewerRole, viewerMute: r.viewerMute }, actor);
    },
  });

  for (const archive of [true, false]) {
    route(app, {
      method: archive ? "POST" : "DELETE",
      url: "/api/chat/rooms/:id/archive",
      summary: archive ? "Archive a room: read-only, still searchable" : "Unarchive a room",
      tags: ["chat"],
      auth: "user",
      params: idParams,
      response: roomSchema,
      handler: async ({ actor, params }) => {
        const r = await k.policy.authorize(actor, ChatRoomResource, "archive", await loadRoom(db, params.id, actor));
        if ((r.archived_at !== null) === archive)
          throw new AppError("conflict", archive ? "this room is already archived" : "this room is not archived");
        const archivedAt = archive ? new Date().toISOString() : null;
        await db.transaction().execute(async (tx) => {
          await tx.updateTable("chat_rooms").set({ archived_at: archivedAt }).where("id", "=", r.id).execute();
          await recordEvent(tx, {
            name: archive ? "chat.room.archived" : "chat.room.unarchived",
            actorId: actor.id,
            resources: { room: r.id },
            payload: { roomId: r.id },
            topics: [roomTopic(r.id)],
          });
        });
        return roomView(k, { ...r, archived_at: archivedAt }, actor);
      },
    });
  }

  route(app, {
    method: "GET",
    url: "/api/chat/directory",
    summary: "Public channels, searchable by name, topic and description (accent-insensitive)",
    tags: ["chat"],
    auth: "user",
    query: directoryQuery,
    response: roomPageSchema,
    handler: async ({ actor, query }) => {
      if (!(await mayInOrg(k, actor, ChatOrgResource, "browse_public"))) return { items: [], next: null };
      const cursor = decodeCursor(query.cursor);
      if (query.cursor && (!cursor || cursor.length !== 2)) throw new AppError("validation", "bad cursor");
      let q = roomsWithViewer(db, actor.id)
        .where(k.policy.scope(ChatRoomResource, actor)("chat_rooms"))
        .where("type", "=", "channel")
        .orderBy("name")
        .orderBy("id")
        .limit(query.limit + 1);
      if (query.archived === "exclude") q = q.where("archived_at", "is", null);
      if (query.archived === "only") q = q.where("archived_at", "is not", null);
      if (query.q) {
        const needle = query.q;
        q = q.where((eb) =>
          eb.or([
            foldedContains(k.database, sql.ref("name"), needle),
            foldedContains(k.database, sql.ref("slug"), needle),
            foldedContains(k.database, sql.ref("topic"), needle),
            foldedContains(k.database, sql.ref("description"), needle),
          ]),
        );
      }
      if (cursor) {
        const [name, id] = cursor.map(String) as [string, string];
        q = q.where((eb) => eb.or([eb("name", ">", name), eb.and([eb("name", "=", name), eb("id", ">", id)])]));
      }
      const rows = await q.execute();
      const page = rows.slice(0, query.limit);
      const items = [];
      // With the viewer's own membership, so the directory shows "joined".
      for (const r of page) items.push(await roomView(k, roomRecord(r), actor));
      const last = page.at(-1);
      return { items, next: rows.length > query.limit && last ? encodeCursor([last.name, last.id]) : null };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/chat/direct",
    summary: "Open the direct conversation with these people (up to 8 in all); the same people always get the same one",
    tags: ["chat"],
    auth: "user",
    body: openDirectBody,
    response: roomSchema,
    handler: async ({ actor, body, reply }) => {
      await authorizeOrg(k, actor, ChatOrgResource, "open_direct");
      const others = await visibleUsers(
        k,
        actor,
        body.userIds.filter((id) => id !== actor.id),
      );
      const everyone = [...new Set([actor.id, ...others])].sort();
      if (everyone.length > MAX_DM_MEMBERS)
        throw new AppError("validation", `a direct conversation has at most ${MAX_DM_MEMBERS} people`);
      const dmKey = everyone.join(",");
      const find = async () => db.selectFrom("chat_rooms").select("id").where("dm_key", "=", dmKey).executeTakeFirst();
      let existing = await find();
      if (!existing) {
        const now = new Date().toISOString();
        const room: ChatRoomsTable = {
          id: uuidv7(),
          type: "dm",
          slug: null,
          name: "",
          topic: "",
          description: "",
          announcement: 0,
          is_default: 0,
          dm_key: dmKey,
          settings: JSON.stringify({ membersCanMentionAll: true, membersCanInvite: false }),
          archived_at: null,
          created_by: actor.id,
          created_at: now,
          updated_at: now,
          last_seq: 0,
          last_message_at: null,
        };
        try {
          await db.transaction().execute(async (tx) => {
            await tx.insertInto("chat_rooms").values(room).execute();
            await addMembers(tx, room.id, everyone, { actorId: actor.id });
          });
          reply.code(201);
        } catch (e) {
          // Two people opened the same conversation at once: both get the one that won.
          if (!isUniqueViolation(e)) throw e;
        }
        existing = await find();
      } else {
        // Opening a hidden conversation shows it again.
        await db
          .updateTable("chat_members")
          .set({ hidden: 0 })
          .where("room_id", "=", existing.id)
          .where("user_id", "=", actor.id)
          .execute();
      }
      const r = await loadRoom(db, existing!.id, actor);
      return roomView(k, await k.policy.authorize(actor, ChatRoomResource, "read", r), actor);
    },
  });
}
