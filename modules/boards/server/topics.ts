import type { Kernel, TopicDefinition } from "@ensemble/kernel";
import { BOARD_TOPIC_PREFIX } from "../shared/resources.ts";
import { loadBoard } from "./boards.ts";
import { BoardResource } from "./resources.ts";
import { boardsDb } from "./tables.ts";

/** `board:<id>`: whoever may read the board, asked at each subscribe and on reauthorize. */
export function boardsTopics(k: Kernel): readonly TopicDefinition[] {
  const db = boardsDb(k);
  return [
    {
      prefix: BOARD_TOPIC_PREFIX,
      authorizeTopic: async (actor, topic) => {
        const id = topic.slice(BOARD_TOPIC_PREFIX.length);
        if (!/^[0-9a-f-]{36}$/.test(id)) return false;
        const board = await loadBoard(db, id, actor);
        return !!board && (await k.policy.can(actor, BoardResource, "read", board));
      },
    },
  ];
}
