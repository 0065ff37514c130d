/**
 * The room a person read last in this browser, so that `/chat` reopens it
 * (as Slack does) instead of the first of the sidebar. Per user: a shared
 * computer keeps each person's own. Storage may be unavailable (private
 * mode, quota): then `/chat` falls back to the first room.
 */
const key = (userId: string) => `ensemble.chat.lastRoom.${userId}`;

export function rememberRoom(userId: string, roomId: string): void {
  try {
    localStorage.setItem(key(userId), roomId);
  } catch {
    // Not remembered: /chat opens the first room, as before.
  }
}

export function lastRoom(userId: string): string | null {
  try {
    return localStorage.getItem(key(userId));
  } catch {
    return null;
  }
}
