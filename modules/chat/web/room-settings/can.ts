import { canInRoom, RoomCapability } from "../../shared/capabilities.ts";
import type { Room } from "../../shared/schemas.ts";
import type { ChatUser } from "../host.tsx";

export type RoomAction = "manage" | "archive" | "invite" | "remove_member" | "moderate" | "leave";

/**
 * What the UI offers, mirroring server/policies.ts (the server still decides):
 * room roles from the shared capability table, organisation administrators
 * supervising public channels.
 */
export function roomCan(room: Room, me: ChatUser, action: RoomAction): boolean {
  const role = room.membership?.role ?? null;
  const has = (cap: RoomCapability) => canInRoom(role, cap, room.settings);
  const open = room.archivedAt === null;
  const supervises = room.type === "channel" && me.role === "admin";
  switch (action) {
    case "manage":
      return room.type !== "dm" && open && (has(RoomCapability.manage) || supervises);
    case "archive":
      return room.type !== "dm" && !room.isDefault && (has(RoomCapability.archive) || supervises);
    case "invite":
      return room.type !== "dm" && open && me.role !== "guest" && has(RoomCapability.invite);
    case "remove_member":
      return room.type !== "dm" && (has(RoomCapability.removeMember) || supervises);
    case "moderate":
      return open && (has(RoomCapability.moderate) || supervises);
    case "leave":
      return role !== null && !room.isDefault && !(room.type === "dm" && (room.participants ?? []).length <= 2);
  }
}
