import type { Kernel, UserActor } from "@ensemble/kernel";
import { extrasDb } from "./extras/extras-tables.ts";
import type { RoomRecord } from "./resources.ts";
import { normalizeRoom } from "./rooms.ts";

export interface SendContext {
  /** The room with the sender's role in it (undefined when there is none). */
  room: RoomRecord | undefined;
  /** The id of the message this author already sent with the client key, in any room (a retry). */
  sentId: string | null;
  /** The kind of the sender's messages: a bot account's are `bot`. */
  kind: "user" | "bot";
  /** A moderator muted the sender in this room (perhaps expired): check it with `assertNotMuted` once authorized. */
  maybeMuted: boolean;
}

/**
 * What the send route checks before posting, in one statement (each is a
 * round trip on PostgreSQL, bench `chat`): the room and the sender's role,
 * an earlier message with the same client key, a mute, a bot account. A mute
 * row is rare: its expiry is then checked (and refused) by `assertNotMuted`,
 * after the route's authorization as before.
 * A room that does not exist reads the client key alone, so a retry into a
 * room since deleted still answers its message (or a conflict).
 */
export async function sendContext(
  k: Kernel,
  roomId: string,
  actor: UserActor,
  clientKey: string,
): Promise<SendContext> {
  const db = extrasDb(k);
  const row = await db
    .selectFrom("chat_rooms")
    .leftJoin("chat_members as vm", (j) => j.onRef("vm.room_id", "=", "chat_rooms.id").on("vm.user_id", "=", actor.id))
    .selectAll("chat_rooms")
    .select((eb) => [
      "vm.role as viewer_role",
      eb
        .selectFrom("chat_messages")
        .select("id")
        .where("author_id", "=", actor.id)
        .where("client_key", "=", clientKey)
        .as("sent_id"),
      eb
        .exists(
          eb
            .selectFrom("chat_mutes")
            .select("user_id")
            .whereRef("chat_mutes.room_id", "=", "chat_rooms.id")
            .where("chat_mutes.user_id", "=", actor.id),
        )
        .as("muted"),
      eb.exists(eb.selectFrom("chat_bots").select("user_id").where("chat_bots.user_id", "=", actor.id)).as("bot"),
    ])
    .where("chat_rooms.id", "=", roomId)
    .executeTakeFirst();
  if (!row) {
    const sent = await db
      .selectFrom("chat_messages")
      .select("id")
      .where("author_id", "=", actor.id)
      .where("client_key", "=", clientKey)
      .executeTakeFirst();
    return { room: undefined, sentId: sent?.id ?? null, kind: "user", maybeMuted: false };
  }
  // Booleans: PostgreSQL answers true/false, SQLite 1/0.
  const { viewer_role, sent_id, muted, bot, ...room } = row;
  return {
    room: { ...normalizeRoom(room), viewerRole: viewer_role ?? null },
    sentId: sent_id ?? null,
    kind: bot ? "bot" : "user",
    maybeMuted: Boolean(muted),
  };
}
