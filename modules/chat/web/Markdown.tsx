import { Fragment, type ReactNode } from "react";
import { Link } from "react-router";
import { EMOJI } from "./emoji.ts";
import { CustomEmojiImage, customEmoji, useCustomEmoji } from "./emoji/custom-emoji.tsx";
import { highlight } from "./highlight.tsx";

/**
 * A small Markdown renderer that builds React elements (never HTML strings):
 * emphasis, strike, links (http, https, mailto only), lists, quotes, inline
 * and fenced code with light highlighting, mentions, #channel links, emoji
 * shortcodes (custom ones as an image). Anything else stays text, so no markup can reach the page.
 */
export function Markdown({ text, meUsername }: { text: string; meUsername?: string }) {
  // Re-rendered when custom emoji are added or removed (`inline` looks them up).
  useCustomEmoji();
  return <div className="chat-md">{blocks(text, meUsername ?? "")}</div>;
}

const SAFE_URL = /^(https?:\/\/|mailto:)/i;
export const safeHref = (url: string): string | null => (SAFE_URL.test(url.trim()) ? url.trim() : null);

function blocks(text: string, me: string): ReactNode[] {
  const out: ReactNode[] = [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push(<p key={`p${out.length}`}>{joinLines(para, me)}</p>);
    para = [];
  };
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = /^\s*```\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !/^\s*```\s*$/.test(lines[i]!)) body.push(lines[i++]!);
      i += 1;
      out.push(
        <pre key={`c${out.length}`} className="chat-code" data-lang={fence[1] || undefined}>
          <code>{highlight(body.join("\n"), fence[1] ?? "")}</code>
        </pre>,
      );
      continue;
    }
    if (/^\s*>\s?/.test(line)) {
      flush();
      const body: string[] = [];
      while (i < lines.length && /^\s*>\s?/.test(lines[i]!)) body.push(lines[i++]!.replace(/^\s*>\s?/, ""));
      out.push(<blockquote key={`q${out.length}`}>{blocks(body.join("\n"), me)}</blockquote>);
      continue;
    }
    const bullet = /^\s*([-*•]|\d{1,3}[.)])\s+/;
    if (bullet.test(line)) {
      flush();
      const ordered = /^\s*\d/.test(line);
      const itemsText: string[] = [];
      while (i < lines.length && bullet.test(lines[i]!) && /^\s*\d/.test(lines[i]!) === ordered)
        itemsText.push(lines[i++]!.replace(bullet, ""));
      const items = itemsText.map((t, n) => <li key={n}>{inline(t, me)}</li>);
      out.push(ordered ? <ol key={`o${out.length}`}>{items}</ol> : <ul key={`u${out.length}`}>{items}</ul>);
      continue;
    }
    if (line.trim() === "") flush();
    else para.push(line);
    i += 1;
  }
  flush();
  return out;
}

function joinLines(lines: string[], me: string): ReactNode[] {
  return lines.flatMap((l, n) =>
    n === 0
      ? [<Fragment key={n}>{inline(l, me)}</Fragment>]
      : [<br key={`b${n}`} />, <Fragment key={n}>{inline(l, me)}</Fragment>],
  );
}

// One pass over the line: the earliest construct wins, the rest is text.
const INLINE =
  /(`[^`\n]+`)|(\*\*[^*\n]+\*\*)|(~~[^~\n]+~~)|(\*[^*\s][^*\n]*\*|\b_[^_\s][^_\n]*_\b)|(\[[^\]\n]+\]\([^)\s]+\))|((?:https?:\/\/|mailto:)[^\s<>()]+[^\s<>().,;:!?'"])|((?:^|(?<=[^\w@#/.-]))@[a-z0-9][a-z0-9._-]*[a-z0-9_]|(?:^|(?<=[^\w@#/.-]))@[a-z0-9])|((?:^|(?<=[^\w@#/.-]))#[a-z0-9][a-z0-9_-]*)|(:[a-z0-9_+-]{1,40}:)/gi;

export function inline(text: string, me: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let k = 0;
  for (const m of text.matchAll(INLINE)) {
    const at = m.index;
    if (at > last) out.push(text.slice(last, at));
    const s = m[0];
    const key = k++;
    if (m[1]) out.push(<code key={key}>{s.slice(1, -1)}</code>);
    else if (m[2]) out.push(<strong key={key}>{inline(s.slice(2, -2), me)}</strong>);
    else if (m[3]) out.push(<del key={key}>{inline(s.slice(2, -2), me)}</del>);
    else if (m[4]) out.push(<em key={key}>{inline(s.slice(1, -1), me)}</em>);
    else if (m[5]) {
      const [, label = "", url = ""] = /^\[([^\]]+)\]\((.+)\)$/.exec(s) ?? [];
      const href = safeHref(url);
      out.push(
        href ? (
          <a key={key} href={href} target="_blank" rel="noopener noreferrer">
            {inline(label, me)}
          </a>
        ) : (
          s
        ),
      );
    } else if (m[6])
      out.push(
        <a key={key} href={s} target="_blank" rel="noopener noreferrer">
          {s}
        </a>,
      );
    else if (m[7]) {
      const name = s.slice(1).toLowerCase();
      const self = name === me.toLowerCase() || name === "here" || name === "channel" || name === "all";
      out.push(
        <span key={key} className={self ? "chat-mention chat-mention-me" : "chat-mention"} data-mention={name}>
          {s}
        </span>,
      );
    } else if (m[8])
      out.push(
        <Link key={key} className="chat-channel-link" to={`/chat/c/${s.slice(1).toLowerCase()}`}>
          {s}
        </Link>,
      );
    else if (m[9]) {
      const name = s.slice(1, -1);
      const custom = EMOJI.has(name) ? undefined : customEmoji.get(name.toLowerCase());
      out.push(custom ? <CustomEmojiImage key={key} emoji={custom} /> : (EMOJI.get(name) ?? s));
    }
    last = at + s.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
