import { EMOJI_GROUPS } from "../shared/emoji-data.ts";

/** The bundled emoji (data in shared/emoji-data.ts) and their shortcodes. */
export { EMOJI_GROUPS };

export const EMOJI: ReadonlyMap<string, string> = new Map(EMOJI_GROUPS.flatMap((g) => g.items));

/** Shortcodes starting with a prefix, for the composer's `:` autocomplete. */
export function findEmoji(prefix: string, limit = 8): [string, string][] {
  const p = prefix.toLowerCase();
  const out: [string, string][] = [];
  for (const [name, ch] of EMOJI) if (name.startsWith(p) && out.length < limit) out.push([name, ch]);
  return out;
}

/** A reaction is stored as its shortcode name (`+1`, or `:+1:` from the API); unknown names show as `:name:`. */
export const emojiOf = (name: string): string => {
  const bare = /^:([a-z0-9_+-]+):$/.exec(name)?.[1] ?? name;
  return EMOJI.get(bare) ?? (/^[a-z0-9_+-]+$/.test(bare) ? `:${bare}:` : name);
};

/** How a reaction is named for people (labels): `:name:`, whichever form it was stored in. */
export const shortcodeOf = (emoji: string): string => (/^:.+:$/.test(emoji) ? emoji : `:${emoji}:`);
