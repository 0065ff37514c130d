import { useCallback, useSyncExternalStore } from "react";

/**
 * "Unread first" in the sidebar: a choice of this person on this device
 * (localStorage, per user id), read by the sidebar query when it fetches.
 */
const storageKey = (userId: string) => `ensemble.chat.unreadFirst.${userId}`;
const listeners = new Set<() => void>();
/** Used when the browser keeps no storage (private browsing): the choice lasts until the page is reloaded. */
const memory = new Map<string, boolean>();

export function readUnreadFirst(userId: string): boolean {
  try {
    return localStorage.getItem(storageKey(userId)) === "1";
  } catch {
    return memory.get(userId) ?? false;
  }
}

function write(userId: string, on: boolean): void {
  memory.set(userId, on);
  try {
    if (on) localStorage.setItem(storageKey(userId), "1");
    else localStorage.removeItem(storageKey(userId));
  } catch {
    // No storage: `memory` keeps it.
  }
  listeners.forEach((fn) => fn());
}

const subscribe = (fn: () => void) => {
  listeners.add(fn);
  return () => listeners.delete(fn);
};

export function useUnreadFirst(userId: string): [boolean, (on: boolean) => void] {
  const on = useSyncExternalStore(subscribe, () => readUnreadFirst(userId));
  return [on, useCallback((next: boolean) => write(userId, next), [userId])];
}
