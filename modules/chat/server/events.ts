import type { ChatEventPayloads } from "../shared/events.ts";

// Typed payloads for `recordEvent(tx, { name: "chat.…" })`.
declare module "@ensemble/kernel" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends ChatEventPayloads {}
}

export type { ChatEventPayloads };
