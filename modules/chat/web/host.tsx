import { createContext, useContext, type ReactNode } from "react";
import type { HostUser, WebHost } from "@ensemble/ui";

/** What the shell lends the chat UI (the signed-in person, API caller, realtime connection): @ensemble/ui's host. */
export type ChatHost = WebHost;
export type ChatUser = HostUser;

const HostContext = createContext<ChatHost | null>(null);

export function HostProvider({ host, children }: { host: ChatHost; children: ReactNode }) {
  return <HostContext.Provider value={host}>{children}</HostContext.Provider>;
}

export function useHost(): ChatHost {
  const h = useContext(HostContext);
  if (!h) throw new Error("the chat UI needs a ChatHost");
  return h;
}

export { problemCode } from "@ensemble/ui";
