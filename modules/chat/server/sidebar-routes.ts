import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AppError, recordEvent, route, type Kernel, authorizeOrg } from "@ensemble/kernel";
import { roomTopic } from "../shared/resources.ts";
import { chatSettingsPatch, chatSettingsSchema } from "../shared/settings.ts";
import {
  markReadBody,
  markUnreadBody,
  type Room,
  type SidebarSection,
  roomSchema,
  sidebarSchema,
} from "../shared/schemas.ts";
import { ChatOrgResource, ChatMessageResource, ChatRoomResource, type RoomRecord } from "./resources.ts";
import { loadRoom, roomRecord, roomsWithViewer } from "./rooms.ts";
import { loadMessage } from "./messages.ts";
import { roomView } from "./read-state.ts";
import { readRoomNotifications } from "./read-notifications.ts";
import { userTopic } from "./members.ts";
import { ensureDefaultMembership } from "./default-channel.ts";
import { getChatSettings, updateChatSettings } from "./chat-settings.ts";
import { chatDb, type ChatDb } from "./tables.ts";
import "./events.ts";
import { personListSchema } from "../shared/room-wire.ts";

const idParams = z.object({ id: z.uuid() });
const sidebarQuery = z.object({ unreadFirst: z.enum(["true", "false"]).default("false") });

const displayName = (r: Room) =>
  (r.type === "dm" ? (r.participants ?? []).map((p) => p.displayName).join(", ") : r.name).toLowerCase();

/** Moves a member's read marker and tells their other devices (and, with receipts on, the room). */
async function setReadMarker(
  db: ChatDb,
  room: RoomRecord,
  userId: string,
  seq: number,
  messageId: string | null,
  receipts: boolean,
) {
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable("chat_members")
      .set({ last_read_seq: seq })
      .where("room_id", "=", room.id)
      .where("user_id", "=", userId)
      .execute();
    await recordEvent(tx, {
      name: "chat.read.updated",
      actorId: userId,
      resources: { room: room.id, user: userId },
      payload: { roomId: room.id, userId, lastReadSeq: seq, messageId },
      topics: receipts && room.type !== "channel" ? [userTopic(userId), roomTopic(room.id)] : [userTopic(userId)],
    });
    await readRoomNotifications(tx, room.id, userId, seq);
  });
}

/** The sidebar, read state (read, unread, "seen by") and the chat settings. */
export function sidebarRoutes(app: FastifyInstance, k: Kernel): void {
  const db = chatDb(k);

  route(app, {
    method: "GET",
    url: "/api/chat/sidebar",
    summary: "The actor's rooms in sections (favourites, channels, direct messages) with unread and mention counts",
    tags: ["chat"],
    auth: "user",
    query: sidebarQuery,
    response: sidebarSchema,
    handler: async ({ actor, query }) => {
      await ensureDefaultMembership(k, actor);
      // The rooms they may read (the policy's scope) that they are in.
      const rows = await roomsWithViewer(db, actor.id)
        .where(k.policy.scope(ChatRoomResource, actor)("chat_rooms"))
        .where("vm.user_id", "is not", null)
        .execute();
      const rooms: Room[] = [];
      for (const r of rows) {
        const view = await roomView(k, roomRecord(r), actor);
        // A hidden room comes back when something new arrives in it.
        if (view.membership?.hidden && view.membership.unread === 0) continue;
        rooms.push(view);
      }
      const unreadFirst = query.unreadFirst === "true";
      const sort = (list: Room[], byRecent: boolean) =>
        list.sort((a, b) => {
          if (unreadFirst) {
            const d = Number((b.membership?.unread ?? 0) > 0) - Number((a.membership?.unread ?? 0) > 0);
            if (d) return d;
          }
          if (byRecent) return (b.lastMessageAt ?? b.createdAt).localeCompare(a.lastMessageAt ?? a.createdAt);
          return displayName(a).localeCompare(displayName(b));
        });
      const sections: SidebarSection[] = [
        {
          key: "favourites",
          rooms: sort(
            rooms.filter((r) => r.membership?.favourite),
            false,
          ),
        },
        {
          key: "channels",
          rooms: sort(
            rooms.filter((r) => !r.membership?.favourite && r.type !== "dm"),
            false,
          ),
        },
        {
          key: "direct",
          rooms: sort(
            rooms.filter((r) => !r.membership?.favourite && r.type === "dm"),
            true,
          ),
        },
      ];
      return { sections };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/chat/rooms/:id/read",
    summary: "Mark the room read up to a message (default: the latest)",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    body: markReadBody,
    response: roomSchema,
    handler: async ({ actor, params, body }) => {
      const room = await k.policy.authorize(actor, ChatRoomResource, "read", await loadRoom(db, params.id, actor));
      if (room.viewerRole === null) throw new AppError("conflict", "join the room first");
      let seq = room.last_seq;
      let messageId: string | null = null;
      if (body.messageId) {
        const m = await db
          .selectFrom("chat_messages")
          .select(["seq", "room_id"])
          .where("id", "=", body.messageId)
          .executeTakeFirst();
        if (!m || m.room_id !== room.id) throw new AppError("not_found", "message not found");
        seq = Number(m.seq);
        messageId = body.messageId;
      }
      await setReadMarker(db, room, actor.id, seq, messageId, (await getChatSettings(k)).readReceipts);
      return roomView(k, room, actor);
    },
  });

  route(app, {
    method: "POST",
    url: "/api/chat/rooms/:id/unread",
    summary: "Mark the room unread from a message on",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    body: markUnreadBody,
    response: roomSchema,
    handler: async ({ actor, params, body }) => {
      const room = await k.policy.authorize(actor, ChatRoomResource, "read", await loadRoom(db, params.id, actor));
      if (room.viewerRole === null) throw new AppError("conflict", "join the room first");
      const m = await db
        .selectFrom("chat_messages")
        .select(["seq", "room_id"])
        .where("id", "=", body.messageId)
        .executeTakeFirst();
      if (!m || m.room_id !== room.id) throw new AppError("not_found", "message not found");
      await setReadMarker(db, room, actor.id, Number(m.seq) - 1, null, (await getChatSettings(k)).readReceipts);
      return roomView(k, room, actor);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/messages/:id/seen",
    summary: "Members who have read up to this message (when read receipts are on)",
    tags: ["chat"],
    auth: "user",
    params: idParams,
    response: personListSchema,
    handler: async ({ actor, params }) => {
      const m = await k.policy.authorize(
        actor,
        ChatMessageResource,
        "read",
        await loadMessage(k, db, params.id, actor),
      );
      if (!(await getChatSettings(k)).readReceipts) throw new AppError("forbidden", "read receipts are turned off");
      const rows = await db
        .selectFrom("chat_members")
        .innerJoin("users", "users.id", "chat_members.user_id")
        .select(["users.id", "users.username", "users.display_name"])
        .where("chat_members.room_id", "=", m.room_id)
        .where("chat_members.last_read_seq", ">=", m.seq)
        .where("users.id", "!=", m.author_id ?? "")
        .orderBy("users.display_name")
        .limit(500)
        .execute();
      return { items: rows.map((u) => ({ id: u.id, username: u.username, displayName: u.display_name })) };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/chat/settings",
    summary: "Chat settings (edit window, mention confirmation threshold, read receipts, limits)",
    tags: ["chat"],
    auth: "user",
    response: chatSettingsSchema,
    handler: async () => getChatSettings(k),
  });

  route(app, {
    method: "PATCH",
    url: "/api/chat/settings",
    summary: "Change the chat settings (administrators)",
    tags: ["chat"],
    auth: "user",
    body: chatSettingsPatch,
    response: chatSettingsSchema,
    handler: async ({ actor, body }) => {
      await authorizeOrg(k, actor, ChatOrgResource, "administer");
      return updateChatSettings(k, body);
    },
  });
}
