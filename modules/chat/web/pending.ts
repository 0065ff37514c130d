import { useSyncExternalStore } from "react";
import type { Attachment } from "../shared/schemas.ts";

/** A message typed here and not yet acknowledged by the server. */
export interface PendingMessage {
  clientKey: string;
  roomId: string;
  text: string;
  parentId: string | null;
  attachments: Attachment[];
  quoteId: string | null;
  status: "sending" | "failed";
  /** Why the server refused it (a problem code), shown with "failed". */
  error?: string;
  createdAt: string;
  confirmAll: boolean;
}

let items: PendingMessage[] = [];
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((fn) => fn());

export const pending = {
  add(p: PendingMessage) {
    items = [...items.filter((x) => x.clientKey !== p.clientKey), p];
    emit();
  },
  update(clientKey: string, patch: Partial<PendingMessage>) {
    items = items.map((x) => (x.clientKey === clientKey ? { ...x, ...patch } : x));
    emit();
  },
  /** The server has it (answer or realtime event, whichever comes first). */
  settle(clientKey: string | null) {
    if (!clientKey || !items.some((x) => x.clientKey === clientKey)) return;
    items = items.filter((x) => x.clientKey !== clientKey);
    emit();
  },
  get: (clientKey: string) => items.find((x) => x.clientKey === clientKey),
};

const subscribe = (fn: () => void) => {
  listeners.add(fn);
  return () => listeners.delete(fn);
};

export function usePending(roomId: string, parentId: string | null): PendingMessage[] {
  const all = useSyncExternalStore(subscribe, () => items);
  return all.filter((p) => p.roomId === roomId && p.parentId === parentId);
}

export const newClientKey = (): string => crypto.randomUUID();
