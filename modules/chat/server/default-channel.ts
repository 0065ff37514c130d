import { mayInOrg } from "@ensemble/kernel";
import { ChatOrgResource } from "./resources.ts";
import { uuidv7 } from "@ensemble/protocol";
import type { Kernel, UserActor } from "@ensemble/kernel";
import { getChatSettings } from "./chat-settings.ts";
import { addMembers } from "./members.ts";
import { isUniqueViolation } from "@ensemble/kernel";
import { chatDb } from "./tables.ts";

/** Created at start when missing: the channel everyone (but guests) is in. */
export async function ensureDefaultChannel(k: Kernel): Promise<string> {
  const db = chatDb(k);
  const existing = await db.selectFrom("chat_rooms").select("id").where("is_default", "=", 1).executeTakeFirst();
  if (existing) return existing.id;
  const slug = (await getChatSettings(k)).defaultChannelSlug;
  const now = new Date().toISOString();
  const id = uuidv7();
  try {
    await db
      .insertInto("chat_rooms")
      .values({
        id,
        type: "channel",
        slug,
        name: slug === "general" ? "Général" : slug,
        topic: "",
        description: "",
        announcement: 0,
        is_default: 1,
        dm_key: null,
        settings: JSON.stringify({ membersCanMentionAll: false, membersCanInvite: true }),
        archived_at: null,
        created_by: null,
        created_at: now,
        updated_at: now,
        last_seq: 0,
        last_message_at: null,
      })
      .execute();
  } catch (e) {
    // Another node created it first, or a channel already has that name: make that one the default.
    if (!isUniqueViolation(e)) throw e;
    await db
      .updateTable("chat_rooms")
      .set({ is_default: 1 })
      .where("slug", "=", slug)
      .where("type", "=", "channel")
      .execute();
  }
  const row = await db.selectFrom("chat_rooms").select("id").where("is_default", "=", 1).executeTakeFirstOrThrow();
  return row.id;
}

const joined = new WeakMap<Kernel, Set<string>>();

/**
 * New users join the default channel at their first chat request (there is
 * no user-creation event to hook): remembered per node so it costs one
 * lookup per user and process.
 */
export async function ensureDefaultMembership(k: Kernel, actor: UserActor): Promise<void> {
  const seen = joined.get(k) ?? new Set<string>();
  joined.set(k, seen);
  if (seen.has(actor.id)) return;
  if (await mayInOrg(k, actor, ChatOrgResource, "join_public")) {
    const db = chatDb(k);
    const roomId = await ensureDefaultChannel(k);
    const mine = await db
      .selectFrom("chat_members")
      .select("user_id")
      .where("room_id", "=", roomId)
      .where("user_id", "=", actor.id)
      .executeTakeFirst();
    if (!mine) await db.transaction().execute((tx) => addMembers(tx, roomId, [actor.id], { actorId: null }));
  }
  seen.add(actor.id);
}
