/**
 * Mentions in message text, found the same way on server and client:
 * `@username`, `@here`, `@channel` / `@all`, `#channel-slug`. Mentions inside
 * inline or fenced code do not count.
 */
export interface ParsedMentions {
  usernames: string[];
  all: boolean;
  here: boolean;
  channelSlugs: string[];
}

const CODE = /```[\s\S]*?```|`[^`\n]*`/g;
const MENTION = /(^|[^\w@#/.-])([@#])([a-z0-9][a-z0-9._-]*[a-z0-9_]|[a-z0-9])/gi;

export function parseMentions(text: string): ParsedMentions {
  const plain = text.replace(CODE, " ");
  const usernames = new Set<string>();
  const slugs = new Set<string>();
  let all = false;
  let here = false;
  for (const m of plain.matchAll(MENTION)) {
    const sigil = m[2];
    const name = (m[3] ?? "").toLowerCase();
    if (sigil === "@") {
      if (name === "channel" || name === "all") all = true;
      else if (name === "here") here = true;
      else usernames.add(name);
    } else {
      slugs.add(name);
    }
  }
  return { usernames: [...usernames], all, here, channelSlugs: [...slugs] };
}

/** `has:link` — any http(s) URL in the text. */
export const hasLink = (text: string): boolean => /https?:\/\/\S+/i.test(text.replace(CODE, " "));
