import type { Kernel, TopicDefinition } from "@ensemble/kernel";
import { AppError } from "@ensemble/kernel";
import { BUNDLED_EMOJI_NAMES, CUSTOM_EMOJI_TOPIC } from "../../shared/emoji-data.ts";
import { emojiDb } from "./emoji-tables.ts";

/** Custom emoji uploaded by administrators: plugged into the chat module by module.ts. */
export { chatEmojiMigrations } from "./emoji-tables.ts";
export { emojiRoutes } from "./emoji-routes.ts";

/** `chat:emoji`: every signed-in person (guests too) hears when custom emoji are added or removed. */
export const emojiTopics: readonly TopicDefinition[] = [
  {
    prefix: CUSTOM_EMOJI_TOPIC,
    authorizeTopic: async (actor, topic) => actor.kind === "user" && topic === CUSTOM_EMOJI_TOPIC,
  },
];

/**
 * Whether a reaction's emoji may be added. `:name:` must name a bundled or a
 * custom emoji (custom ones are written only that way); other forms (a bare
 * shortcode as the picker sends it, a character) are kept as sent. Taking an
 * unknown one off stays allowed: the custom emoji may have been deleted since.
 */
export async function knownEmoji(k: Kernel, emoji: string): Promise<boolean> {
  const m = /^:([a-z0-9_+-]{1,40}):$/.exec(emoji);
  if (!m || BUNDLED_EMOJI_NAMES.has(m[1]!)) return true;
  return !!(await emojiDb(k).selectFrom("chat_emoji").select("name").where("name", "=", m[1]!).executeTakeFirst());
}

export const unknownEmoji = (raw: string) =>
  new AppError("emoji_unknown", `${raw} is not an emoji of this organisation`);
