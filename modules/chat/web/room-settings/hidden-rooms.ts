import { useSyncExternalStore } from "react";

/**
 * Rooms hidden during this visit. They leave the sidebar, so its live feed
 * would no longer follow them; ChatApp keeps following these so that a new
 * message brings the room back at once (the server shows a hidden room again
 * when it has unread messages).
 */
let ids: readonly string[] = [];
const listeners = new Set<() => void>();
const set = (next: readonly string[]) => {
  ids = next;
  listeners.forEach((fn) => fn());
};

export const hiddenRooms = {
  add: (id: string) => !ids.includes(id) && set([...ids, id]),
  remove: (id: string) => ids.includes(id) && set(ids.filter((x) => x !== id)),
  has: (id: string) => ids.includes(id),
};

export function useHiddenRooms(): readonly string[] {
  return useSyncExternalStore(
    (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    () => ids,
  );
}
