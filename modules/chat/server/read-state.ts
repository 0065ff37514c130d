import type { Actor, Kernel } from "@ensemble/kernel";
import type { Room } from "../shared/schemas.ts";
import { ChatRoomResource, type RoomRecord } from "./resources.ts";
import { memberCount, participantsOf, presentRoom, type MembershipState } from "./rooms.ts";
import { chatDb, type ChatDb } from "./tables.ts";
import { ownerCount } from "./members.ts";

/** Counting stops here: a badge shows "999+" rather than scanning years of history. */
export const UNREAD_CAP = 999;

/**
 * Unread and mention counts of one member: bounded range scans on
 * (room, in_channel, seq) and (user, room, seq) above the read marker.
 */
export async function unreadCounts(
  db: ChatDb,
  roomId: string,
  userId: string,
  lastReadSeq: number,
): Promise<{ unread: number; mentions: number }> {
  const unreadQ = db
    .selectFrom("chat_messages")
    .select("id")
    .where("room_id", "=", roomId)
    .where("in_channel", "=", 1)
    .where("seq", ">", lastReadSeq)
    .where("deleted_at", "is", null)
    .where((eb) => eb.or([eb("author_id", "is", null), eb("author_id", "!=", userId)]))
    .limit(UNREAD_CAP);
  const direct = db
    .selectFrom("chat_mentions")
    .select("message_id as id")
    .where("user_id", "=", userId)
    .where("room_id", "=", roomId)
    .where("seq", ">", lastReadSeq);
  const broadcast = db
    .selectFrom("chat_messages")
    .select("id")
    .where("room_id", "=", roomId)
    .where("seq", ">", lastReadSeq)
    .where("mentions_all", "=", 1)
    .where("deleted_at", "is", null)
    .where((eb) => eb.or([eb("author_id", "is", null), eb("author_id", "!=", userId)]));
  const [u, m] = await Promise.all([
    db
      .selectFrom(unreadQ.as("u"))
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom(direct.union(broadcast).as("m"))
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  return { unread: Number(u.n), mentions: Math.min(Number(m.n), UNREAD_CAP) };
}

/** The room as the actor sees it: with their membership, unread and mention counts. */
export async function roomView(k: Kernel, room: RoomRecord, actor: Actor): Promise<Room> {
  const db = chatDb(k);
  const userId = actor.kind === "user" ? actor.id : null;
  const member = userId
    ? await db
        .selectFrom("chat_members")
        .select(["role", "favourite", "muted", "hidden", "last_read_seq"])
        .where("room_id", "=", room.id)
        .where("user_id", "=", userId)
        .executeTakeFirst()
    : undefined;
  const state: MembershipState = { member: member ?? null, unread: 0, mentions: 0 };
  if (member && userId) Object.assign(state, await unreadCounts(db, room.id, userId, Number(member.last_read_seq)));
  const count = await memberCount(db, room.id);
  const participants = room.type === "dm" ? await participantsOf(db, room.id) : undefined;
  // What the viewer may do here, from the policy (the web offers exactly these).
  const actions = await k.policy.allowedActions(actor, ChatRoomResource, room);
  const mustNameSuccessor = member?.role === "owner" && count > 1 && (await ownerCount(db, room.id)) <= 1;
  return { ...presentRoom(room, count, state, participants), actions, mustNameSuccessor };
}
