import type { Kernel, TopicDefinition } from "@ensemble/kernel";
import { ROOM_TOPIC_PREFIX } from "../shared/resources.ts";
import { ChatRoomResource } from "./resources.ts";
import { loadRoom } from "./rooms.ts";
import { chatDb } from "./tables.ts";

/**
 * `room:<id>`: whoever may read the room (members; non-guests for public
 * channels). Asked again on revoke. A member is replayed what happened since
 * joining, a reader who is not a member nothing: older history comes from
 * the REST API, as the room shows it now (edited, deleted).
 */
export function chatTopics(k: Kernel): readonly TopicDefinition[] {
  const db = chatDb(k);
  return [
    {
      prefix: ROOM_TOPIC_PREFIX,
      authorizeTopic: async (actor, topic) => {
        const id = topic.slice(ROOM_TOPIC_PREFIX.length);
        if (!/^[0-9a-f-]{36}$/.test(id)) return false;
        const room = await loadRoom(db, id, actor);
        return !!room && (await k.policy.can(actor, ChatRoomResource, "read", room));
      },
      catchUpFrom: async (actor, topic) => {
        const m = await db
          .selectFrom("chat_members")
          .select("joined_at")
          .where("room_id", "=", topic.slice(ROOM_TOPIC_PREFIX.length))
          .where("user_id", "=", actor.id)
          .executeTakeFirst();
        return m?.joined_at ?? new Date().toISOString();
      },
    },
  ];
}
