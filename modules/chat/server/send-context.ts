import type { Kernel, UserActor } from "@ensemble/kernel";
import { chatDb } from "./tables.ts";
import type { RoomRecord } from "./resources.ts";
import { normalizeRoom, viewerMute } from "./rooms.ts";

export interface SendContext {
  /** The room with the sender's role in it (undefined when there is none). */
  room: RoomRecord | undefined;
  /** The kind of the sender's messages: a bot account's are `bot`. */
  kind: "user" | "bot";
}

/**
 * What the send route checks before posting, in one statement (each is a
 * round trip on PostgreSQL, bench `chat`): the room and the sender's role,
 * the sender's mute (which the policy's `post` rule decides on), a bot
 * account. A retry never gets here: the kernel answers it (`idempotent`).
 */
export async function sendContext(k: Kernel, roomId: string, actor: UserActor): Promise<SendContext> {
  const db = chatDb(k);
  const row = await db
    .selectFrom("chat_rooms")
    .leftJoin("chat_members as vm", (j) => j.onRef("vm.room_id", "=", "chat_rooms.id").on("vm.user_id", "=", actor.id))
    .leftJoin("chat_mutes as vmu", (j) => j.onRef("vmu.room_id", "=", "chat_rooms.id").on("vmu.user_id", "=", actor.id))
    .selectAll("chat_rooms")
    .select((eb) => [
      "vm.role as viewer_role",
      "vmu.user_id as muted_id",
      "vmu.until as muted_until",
      eb.exists(eb.selectFrom("chat_bots").select("user_id").where("chat_bots.user_id", "=", actor.id)).as("bot"),
    ])
    .where("chat_rooms.id", "=", roomId)
    .executeTakeFirst();
  if (!row) return { room: undefined, kind: "user" };
  // Booleans: PostgreSQL answers true/false, SQLite 1/0.
  const { viewer_role, muted_id, muted_until, bot, ...room } = row;
  return {
    room: { ...normalizeRoom(room), viewerRole: viewer_role ?? null, viewerMute: viewerMute(muted_id, muted_until) },
    kind: bot ? "bot" : "user",
  };
}
