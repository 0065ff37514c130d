import type { Kernel, TopicDefinition } from "@ensemble/kernel";
import { ROOM_TOPIC_PREFIX } from "../shared/resources.ts";
import { ChatRoomResource } from "./resources.ts";
import { loadRoom } from "./rooms.ts";
import { chatDb } from "./tables.ts";

/** `room:<id>`: whoever may read the room (members; non-guests for public channels). Asked again on revoke. */
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
    },
  ];
}
