import type { ReactNode } from "react";
import { Link } from "react-router";
import { inline as renderInline, Markdown as SafeMarkdown, safeHref, type MarkdownExtensions } from "@ensemble/ui";
import { EMOJI } from "./emoji.ts";
import { CustomEmojiImage, customEmoji, useCustomEmoji } from "./emoji/custom-emoji.tsx";

export { safeHref };

const CLASSES = { root: "chat-md", code: "chat-code" };

/** The chat's tokens on @ensemble/ui's safe renderer: mentions (mine highlighted), #channel links, emoji. */
function chatExtensions(me: string): MarkdownExtensions {
  return {
    mention: (name, raw, key) => {
      const self = name === me.toLowerCase() || name === "here" || name === "channel" || name === "all";
      return (
        <span key={key} className={self ? "chat-mention chat-mention-me" : "chat-mention"} data-mention={name}>
          {raw}
        </span>
      );
    },
    channel: (slug, raw, key) => (
      <Link key={key} className="chat-channel-link" to={`/chat/c/${slug}`}>
        {raw}
      </Link>
    ),
    emoji: (name, raw, key) => {
      const custom = EMOJI.has(name) ? undefined : customEmoji.get(name.toLowerCase());
      return custom ? <CustomEmojiImage key={key} emoji={custom} /> : (EMOJI.get(name) ?? raw);
    },
  };
}

/** A message's text as Markdown, with the chat's mentions, channel links and emoji (custom ones as an image). */
export function Markdown({ text, meUsername }: { text: string; meUsername?: string }) {
  // Re-rendered when custom emoji are added or removed (the emoji extension looks them up).
  useCustomEmoji();
  return <SafeMarkdown text={text} extensions={chatExtensions(meUsername ?? "")} classes={CLASSES} />;
}

/** One line of inline Markdown with the chat's tokens. */
export function inline(text: string, me: string): ReactNode[] {
  return renderInline(text, chatExtensions(me));
}
