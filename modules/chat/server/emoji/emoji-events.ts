import type { CustomEmojiEventPayloads } from "../../shared/emoji-data.ts";

declare module "@ensemble/kernel" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends CustomEmojiEventPayloads {}
}
