/**
 * The chat resource kinds and their actions: the vocabulary of the policy
 * (the server wraps them with the kernel's `resourceKind`).
 */
export const chatRoomActions = [
  "read",
  "join",
  "post",
  "react",
  "pin",
  "invite",
  "remove_member",
  "manage",
  "archive",
  "moderate",
  "mention_all",
  "leave",
  /** Start a call (an instant meeting announced in the room): those who may post, when a meetings service runs. */
  "call",
] as const;
export type ChatRoomAction = (typeof chatRoomActions)[number];

export const chatMessageActions = ["read", "edit", "delete", "pin", "react"] as const;
export type ChatMessageAction = (typeof chatMessageActions)[number];

export const ChatResourceTypes = { room: "chat_room", message: "chat_message" } as const;

/** Realtime topic of a room: every change in it is published there. */
export const roomTopic = (roomId: string): string => `room:${roomId}`;
export const ROOM_TOPIC_PREFIX = "room:";
