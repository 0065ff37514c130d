import { createContext, useContext, type ReactNode } from "react";
import type { TopicHandlers } from "@ensemble/client";

export type Presence = "online" | "away" | "dnd" | "offline";

export interface ChatUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
}

/**
 * What the shell lends the chat UI: the signed-in person, its API caller and
 * its one realtime connection. Passed in (not imported) so that the module
 * never reaches into apps/ (DESIGN.md layout).
 */
export interface ChatHost {
  me: ChatUser;
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  follow<P>(topic: string, handlers: TopicHandlers<P>): Promise<() => void>;
  /** Tells the room's other members that the person is typing (ephemeral). */
  typing(topic: string): void;
  onTyping(fn: (e: { topic: string; userId: string }) => void): () => void;
  usePresence(userId: string | undefined): Presence | null;
}

const HostContext = createContext<ChatHost | null>(null);

export function HostProvider({ host, children }: { host: ChatHost; children: ReactNode }) {
  return <HostContext.Provider value={host}>{children}</HostContext.Provider>;
}

export function useHost(): ChatHost {
  const h = useContext(HostContext);
  if (!h) throw new Error("the chat UI needs a ChatHost");
  return h;
}

/** A problem code from an API error (the shell's ApiError carries `code` and `status`). */
export function problemCode(e: unknown): string {
  return typeof e === "object" && e !== null && "code" in e && typeof e.code === "string" ? e.code : "internal";
}
