import { recordEvent } from "@ensemble/kernel";
import { roomTopic } from "../shared/resources.ts";
import type { RoomRole } from "../shared/capabilities.ts";
import type { ChatDb } from "./tables.ts";
import "./events.ts";

export const userTopic = (userId: string) => `user:${userId}`;

/**
 * Adds people to a room in the caller's transaction (those already in it are
 * skipped) and records `chat.member.added` on the room and on each new
 * member's own topic, so their sidebar shows the room at once.
 */
export async function addMembers(
  tx: ChatDb,
  roomId: string,
  userIds: readonly string[],
  opts: { role?: RoomRole; actorId: string | null; viaGroupId?: string | null },
): Promise<string[]> {
  const ids = [...new Set(userIds)];
  if (!ids.length) return [];
  const existing = new Set(
    (
      await tx
        .selectFrom("chat_members")
        .select("user_id")
        .where("room_id", "=", roomId)
        .where("user_id", "in", ids)
        .execute()
    ).map((m) => m.user_id),
  );
  const users = await tx
    .selectFrom("users")
    .select(["id", "username", "display_name", "role"])
    .where(
      "id",
      "in",
      ids.filter((id) => !existing.has(id)),
    )
    .where("deactivated", "=", 0)
    .execute();
  const room = await tx.selectFrom("chat_rooms").select("last_seq").where("id", "=", roomId).executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  const role = opts.role ?? "member";
  for (const u of users) {
    await tx
      .insertInto("chat_members")
      .values({
        room_id: roomId,
        user_id: u.id,
        role,
        favourite: 0,
        muted: 0,
        hidden: 0,
        last_read_seq: Number(room.last_seq),
        joined_at: now,
      })
      .onConflict((oc) => oc.columns(["room_id", "user_id"]).doNothing())
      .execute();
    await recordEvent(tx, {
      name: "chat.member.added",
      actorId: opts.actorId,
      resources: { room: roomId, user: u.id },
      payload: {
        roomId,
        member: {
          user: { id: u.id, username: u.username, displayName: u.display_name, role: u.role },
          role,
          joinedAt: now,
        },
        viaGroupId: opts.viaGroupId ?? null,
      },
      topics: [roomTopic(roomId), userTopic(u.id)],
    });
  }
  return users.map((u) => u.id);
}

/** Removes one member in the caller's transaction; the caller revokes their `room:` subscription after commit. */
export async function removeMember(
  tx: ChatDb,
  roomId: string,
  userId: string,
  opts: { actorId: string | null; left: boolean },
): Promise<void> {
  await tx.deleteFrom("chat_members").where("room_id", "=", roomId).where("user_id", "=", userId).execute();
  await tx.deleteFrom("chat_thread_followers").where("room_id", "=", roomId).where("user_id", "=", userId).execute();
  await tx.deleteFrom("chat_drafts").where("room_id", "=", roomId).where("user_id", "=", userId).execute();
  await recordEvent(tx, {
    name: "chat.member.removed",
    actorId: opts.actorId,
    resources: { room: roomId, user: userId },
    payload: { roomId, userId, left: opts.left },
    topics: [roomTopic(roomId), userTopic(userId)],
  });
}

export async function ownerCount(tx: ChatDb, roomId: string): Promise<number> {
  const r = await tx
    .selectFrom("chat_members")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("room_id", "=", roomId)
    .where("role", "=", "owner")
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Serializes membership changes of one room (PostgreSQL row lock; SQLite runs one transaction at a time). */
export async function lockRoom(tx: ChatDb, roomId: string): Promise<void> {
  await tx
    .updateTable("chat_rooms")
    .set((eb) => ({ updated_at: eb.ref("updated_at") }))
    .where("id", "=", roomId)
    .execute();
}
