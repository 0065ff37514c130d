import type { QueryClient } from "@tanstack/react-query";
import { keys } from "./cache.ts";
import type { ChatApi } from "./api.ts";

/**
 * Rooms this person just marked unread from a message, with the read marker
 * that set (null while the call is on its way). The open room reads it: it
 * puts the "new messages" divider there and stops marking the room read while
 * the person stays at the bottom, until Esc or another room.
 */
export const keptUnread = new Map<string, number | null>();

export async function markUnread(api: ChatApi, qc: QueryClient, roomId: string, messageId: string): Promise<void> {
  // Set before the call: a "read" sent meanwhile by the open room would undo it.
  keptUnread.set(roomId, null);
  try {
    const room = await api.markUnread(roomId, messageId);
    keptUnread.set(roomId, room.membership?.lastReadSeq ?? null);
    qc.setQueryData(keys.room(roomId), room);
    void qc.invalidateQueries({ queryKey: keys.sidebar });
  } catch (e) {
    keptUnread.delete(roomId);
    throw e;
  }
}
