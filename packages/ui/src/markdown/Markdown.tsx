import { Fragment, type ReactNode } from "react";
import { highlight } from "./highlight.tsx";

/**
 * How a service renders the chat-flavoured tokens (`@name`, `#channel`,
 * `:emoji:`); without one, the token stays text. Each returns the node for
 * the token as typed (`raw`), keyed by `key`.
 */
export interface MarkdownExtensions {
  mention?(name: string, raw: string, key: number): ReactNode;
  channel?(slug: string, raw: string, key: number): ReactNode;
  emoji?(name: string, raw: string, key: number): ReactNode;
}

export interface MarkdownClasses {
  root: string;
  code: string;
}

/**
 * A small Markdown renderer that builds React elements (never HTML strings):
 * emphasis, strike, links (http, https, mailto only), lists, quotes, inline
 * and fenced code with light highlighting, and what `extensions` renders
 * (mentions, channel links, emoji). Anything else stays text, so no markup can reach the page.
 */
export function Markdown({
  text,
  extensions = {},
  classes = { root: "md", code: "md-code" },
}: {
  text: string;
  extensions?: MarkdownExtensions;
  classes?: MarkdownClasses;
}) {
  return <div className={classes.root}>{blocks(text, extensions, classes)}</div>;
}

const SAFE_URL = /^(https?:\/\/|mailto:)/i;
export const safeHref = (url: string): string | null => (SAFE_URL.test(url.trim()) ? url.trim() : null);

function blocks(text: string, ext: MarkdownExtensions, classes: MarkdownClasses): ReactNode[] {
  const out: ReactNode[] = [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push(<p key={`p${out.length}`}>{joinLines(para, ext)}</p>);
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
        // A Tab stop: a long line scrolls sideways, by keyboard too (on a phone).
        <pre key={`c${out.length}`} className={classes.code} data-lang={fence[1] || undefined} tabIndex={0}>
          <code>{highlight(body.join("\n"), fence[1] ?? "")}</code>
        </pre>,
      );
      continue;
    }
    if (/^\s*>\s?/.test(line)) {
      flush();
      const body: string[] = [];
      while (i < lines.length && /^\s*>\s?/.test(lines[i]!)) body.push(lines[i++]!.replace(/^\s*>\s?/, ""));
      out.push(<blockquote key={`q${out.length}`}>{blocks(body.join("\n"), ext, classes)}</blockquote>);
      continue;
    }
    const bullet = /^\s*([-*•]|\d{1,3}[.)])\s+/;
    if (bullet.test(line)) {
      flush();
      const ordered = /^\s*\d/.test(line);
      const itemsText: string[] = [];
      while (i < lines.length && bullet.test(lines[i]!) && /^\s*\d/.test(lines[i]!) === ordered)
        itemsText.push(lines[i++]!.replace(bullet, ""));
      const items = itemsText.map((t, n) => <li key={n}>{inline(t, ext)}</li>);
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

function joinLines(lines: string[], ext: MarkdownExtensions): ReactNode[] {
  return lines.flatMap((l, n) =>
    n === 0
      ? [<Fragment key={n}>{inline(l, ext)}</Fragment>]
      : [<br key={`b${n}`} />, <Fragment key={n}>{inline(l, ext)}</Fragment>],
  );
}

// One pass over the line: the earliest construct wins, the rest is text.
const INLINE =
  /(`[^`\n]+`)|(\*\*[^*\n]+\*\*)|(~~[^~\n]+~~)|(\*[^*\s][^*\n]*\*|\b_[^_\s][^_\n]*_\b)|(\[[^\]\n]+\]\([^)\s]+\))|((?:https?:\/\/|mailto:)[^\s<>()]+[^\s<>().,;:!?'"])|((?:^|(?<=[^\w@#/.-]))@[a-z0-9][a-z0-9._-]*[a-z0-9_]|(?:^|(?<=[^\w@#/.-]))@[a-z0-9])|((?:^|(?<=[^\w@#/.-]))#[a-z0-9][a-z0-9_-]*)|(:[a-z0-9_+-]{1,40}:)/gi;

/** One line of inline Markdown (emphasis, code, links and the extensions' tokens) as React nodes. */
export function inline(text: string, ext: MarkdownExtensions): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let k = 0;
  for (const m of text.matchAll(INLINE)) {
    const at = m.index;
    if (at > last) out.push(text.slice(last, at));
    const s = m[0];
    const key = k++;
    if (m[1]) out.push(<code key={key}>{s.slice(1, -1)}</code>);
    else if (m[2]) out.push(<strong key={key}>{inline(s.slice(2, -2), ext)}</strong>);
    else if (m[3]) out.push(<del key={key}>{inline(s.slice(2, -2), ext)}</del>);
    else if (m[4]) out.push(<em key={key}>{inline(s.slice(1, -1), ext)}</em>);
    else if (m[5]) {
      const [, label = "", url = ""] = /^\[([^\]]+)\]\((.+)\)$/.exec(s) ?? [];
      const href = safeHref(url);
      out.push(
        href ? (
          <a key={key} href={href} target="_blank" rel="noopener noreferrer">
            {inline(label, ext)}
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
    else if (m[7]) out.push(ext.mention ? ext.mention(s.slice(1).toLowerCase(), s, key) : s);
    else if (m[8]) out.push(ext.channel ? ext.channel(s.slice(1).toLowerCase(), s, key) : s);
    else if (m[9]) out.push(ext.emoji ? ext.emoji(s.slice(1, -1), s, key) : s);
    last = at + s.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
