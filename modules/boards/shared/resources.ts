/** The boards resource kinds and their actions: the vocabulary of the policy. */
export const boardActions = [
  "read",
  "update",
  "delete",
  "manage_members",
  "edit_structure",
  "create_card",
  "comment",
] as const;
export type BoardAction = (typeof boardActions)[number];

/** Lists and swimlanes share their actions. */
export const laneActions = ["read", "update", "move", "delete"] as const;
export const cardActions = ["read", "update", "move", "delete", "comment"] as const;
export type CardAction = (typeof cardActions)[number];
export const commentActions = ["read", "delete"] as const;

export const BoardResourceTypes = {
  board: "boards_board",
  list: "boards_list",
  swimlane: "boards_swimlane",
  card: "boards_card",
  comment: "boards_comment",
} as const;

/** Realtime topic of a board: every change on it is published there. */
export const BOARD_TOPIC_PREFIX = "board:";
export const boardTopic = (boardId: string): string => `${BOARD_TOPIC_PREFIX}${boardId}`;
