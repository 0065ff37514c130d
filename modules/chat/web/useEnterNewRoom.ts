import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import type { Room } from "../shared/schemas.ts";
import { keys } from "./cache.ts";

/**
 * After creating or opening a room from a dialog: the sidebar lists it, the
 * dialog closes, and the person is taken there (in that order, so the room
 * is in the sidebar when its page opens).
 */
export function useEnterNewRoom(close: () => void): (room: Pick<Room, "id">) => Promise<void> {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return async (room) => {
    await qc.invalidateQueries({ queryKey: keys.sidebar });
    close();
    navigate(`/chat/${room.id}`);
  };
}
