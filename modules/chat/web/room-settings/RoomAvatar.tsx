import { Avatar } from "@mantine/core";
import { IconHash, IconLock } from "@tabler/icons-react";
import type { Room } from "../../shared/schemas.ts";

/**
 * The room's picture when it has one; otherwise what the room showed before
 * (a hash for channels, a lock for private groups). Decorative: the room's
 * name is always written next to it.
 */
export function RoomAvatar({ room, size }: { room: Pick<Room, "type" | "avatarUrl" | "name">; size: number }) {
  if (room.avatarUrl)
    return <Avatar src={room.avatarUrl} size={size} radius="sm" alt="" name={room.name} data-testid="room-avatar" />;
  if (room.type === "dm") return null;
  const Icon = room.type === "private" ? IconLock : IconHash;
  return <Icon size={Math.round(size * 0.78)} aria-hidden="true" />;
}
