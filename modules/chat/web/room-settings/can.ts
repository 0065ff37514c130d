import type { ChatRoomAction } from "../../shared/resources.ts";
import type { Room } from "../../shared/schemas.ts";

export type RoomAction = Extract<
  ChatRoomAction,
  "manage" | "archive" | "invite" | "remove_member" | "moderate" | "leave"
>;

/** What the UI offers: the actions the server's policy allows the viewer in this room (`room.actions`). */
export function roomCan(room: Pick<Room, "actions">, action: RoomAction): boolean {
  return room.actions.includes(action);
}
