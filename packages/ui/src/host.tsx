import { createContext, useContext, type ReactNode } from "react";
import type { TopicHandlers } from "@ensemble/client";
import type { OpenableFile } from "./file-openers.ts";

export type Presence = "online" | "away" | "dnd" | "offline";

export interface HostUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  /** The person's organisation capabilities (`org.administer`, `chat.administer`…), from `/api/me`: never compare `role`. */
  capabilities: readonly string[];
}

/**
 * What the shell lends a module's UI: the signed-in person, its API caller
 * and its one realtime connection. Given through context (not imported) so
 * that modules never reach into apps/ (DESIGN.md layout).
 */
export interface WebHost {
  me: HostUser;
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  follow<P>(topic: string, handlers: TopicHandlers<P>): Promise<() => void>;
  /** Tells the topic's other subscribers that the person is typing (ephemeral). */
  typing(topic: string): void;
  onTyping(fn: (e: { topic: string; userId: string }) => void): () => void;
  usePresence(userId: string | undefined): Presence | null;
  /** The page of the service that opens this file (a manifest's `fileOpeners`), or null: download only. */
  openPath(file: OpenableFile): string | null;
}

const HostContext = createContext<WebHost | null>(null);

export function WebHostProvider({ host, children }: { host: WebHost; children: ReactNode }) {
  return <HostContext.Provider value={host}>{children}</HostContext.Provider>;
}

/** The host lent by the shell; only inside the signed-in layout. */
export function useWebHost(): WebHost {
  const h = useContext(HostContext);
  if (!h) throw new Error("a module's UI needs the shell's WebHostProvider");
  return h;
}
