import type { ChatMessage } from "../../shared/schemas.ts";

/** A message shown to one person only (slash command answers); never stored as a room message. */
export interface EphemeralMessage {
  id: string;
  roomId: string;
  parentId: string | null;
  text: string;
  attachments: ChatMessage["attachments"];
  /** Who answers: `Ensemble` for built-ins, the command for custom ones. */
  username: string;
  createdAt: string;
}

export interface ChatExtrasEventPayloads {
  "chat.ephemeral.posted": { message: EphemeralMessage };
  "chat.report.created": { roomId: string; reportId: string; messageId: string };
  "chat.report.resolved": { roomId: string; reportId: string; resolution: string };
  "chat.mute.changed": { roomId: string; userId: string; until: string | null; muted: boolean };
  "chat.retention.applied": { scope: string; days: number; deleted: number };
}

declare module "@ensemble/kernel" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends ChatExtrasEventPayloads {}
}
