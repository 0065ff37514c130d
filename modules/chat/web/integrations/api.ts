import { useMemo } from "react";
import type {
  CommandRun,
  IncomingHook,
  IncomingHookCreated,
  OutgoingHook,
  OutgoingHookCreated,
  SlashCommand,
  SlashCommandCreated,
} from "../../shared/integration-wire.ts";
import { useHost, type ChatHost } from "../host.tsx";

// The shapes are the server's response schemas (modules/chat/shared/integration-wire.ts).
export type { IncomingHook, OutgoingHook, SlashCommand };

/** Room integrations (server: modules/chat/server/integrations). */
export function integrationsApi(h: ChatHost) {
  return {
    incoming: (roomId: string) =>
      h.api<{ items: IncomingHook[] }>("GET", `/api/chat/rooms/${roomId}/incoming-webhooks`),
    createIncoming: (roomId: string, body: { name: string; username?: string; iconUrl?: string }) =>
      h.api<IncomingHookCreated>("POST", `/api/chat/rooms/${roomId}/incoming-webhooks`, body),
    deleteIncoming: (id: string) => h.api<unknown>("DELETE", `/api/chat/incoming-webhooks/${id}`),
    outgoing: (roomId: string) =>
      h.api<{ items: OutgoingHook[] }>("GET", `/api/chat/rooms/${roomId}/outgoing-webhooks`),
    createOutgoing: (
      roomId: string,
      body: { name: string; url: string; triggerWords: string[]; triggerWhen: OutgoingHook["triggerWhen"] },
    ) => h.api<OutgoingHookCreated>("POST", `/api/chat/rooms/${roomId}/outgoing-webhooks`, body),
    deleteOutgoing: (id: string) => h.api<unknown>("DELETE", `/api/chat/outgoing-webhooks/${id}`),
    commands: () => h.api<{ items: SlashCommand[] }>("GET", "/api/chat/commands"),
    createCommand: (body: { command: string; url: string; description: string }) =>
      h.api<SlashCommandCreated>("POST", "/api/chat/commands", body),
    deleteCommand: (id: string) => h.api<unknown>("DELETE", `/api/chat/commands/${id}`),
    run: (roomId: string, body: { command: string; text: string; parentId?: string }) =>
      h.api<CommandRun>("POST", `/api/chat/rooms/${roomId}/commands`, body),
  };
}

export function useIntegrationsApi() {
  const host = useHost();
  return useMemo(() => integrationsApi(host), [host]);
}

export const intKeys = {
  incoming: (roomId: string) => ["chat", "integrations", "incoming", roomId] as const,
  outgoing: (roomId: string) => ["chat", "integrations", "outgoing", roomId] as const,
  /** Slash commands are the organisation's, the same in every room. */
  commands: ["chat", "integrations", "commands"] as const,
};
