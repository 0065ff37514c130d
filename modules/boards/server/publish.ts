import { recordEvent, type PayloadOf } from "@ensemble/kernel";
import { boardTopic } from "../shared/resources.ts";
import type { BoardsEventName } from "../shared/events.ts";
import type { BoardsDb } from "./tables.ts";
import "./events.ts";

/** Records a boards event on the board's topic, in the caller's transaction. */
export async function publish<N extends BoardsEventName>(
  tx: BoardsDb,
  name: N,
  actorId: string,
  boardId: string,
  payload: PayloadOf<N>,
  resources: Record<string, string> = {},
): Promise<void> {
  await recordEvent(tx, {
    name,
    actorId,
    resources: { board: boardId, ...resources },
    payload,
    topics: [boardTopic(boardId)],
  });
}
