import { MIMEType } from "node:util";
import { Parser } from "htmlparser2";

/**
 * What a page's head says about it: `<title>`, `<meta>` and `<link>`, read by
 * `htmlparser2`'s streaming tokenizer (no DOM is built, nothing runs). Its
 * tokenizer follows the browsers' rules for the hard parts — attribute quoting,
 * comments, script and style bodies, the full table of character references —
 * so a `<meta>` written inside a script, a style or a comment is not seen.
 * Only the head counts: reading stops at `<body>` or `</head>` (a page's body
 * may hold other people's text), and after `MAX_CHARS` whatever comes.
 */
export interface HtmlHead {
  title: string | null;
  /** `property` or `name` (lower case) → first content seen. */
  meta: Map<string, string>;
  links: { rel: string; href: string; type: string; title: string }[];
  charset: string | null;
}

const MAX_CHARS = 512 * 1024;
/** A title is cut to far less when shown; an unclosed one must not grow with the page. */
const MAX_TITLE_CHARS = 4096;
/** Fed to the parser a piece at a time, so that reading stops soon after the head ends. */
const CHUNK_CHARS = 16 * 1024;
/**
 * Elements whose content is not the page's own metadata: fallbacks for browsers without
 * script, inert templates, foreign content (an SVG's `<title>` names a picture, not the page).
 */
const NOT_HEAD_CONTENT = new Set(["noscript", "template", "iframe", "noembed", "noframes", "xmp", "svg", "math"]);

const clean = (s: string) => s.replace(/\s+/g, " ").trim();

/** An attribute's value, never one inherited from Object.prototype. */
const attr = (attribs: Record<string, string>, name: string): string | undefined =>
  Object.hasOwn(attribs, name) ? attribs[name] : undefined;

export function parseHtmlHead(input: string): HtmlHead {
  const head: HtmlHead = { title: null, meta: new Map(), links: [], charset: null };
  let done = false;
  let ignoredDepth = 0;
  let titleText: string | null = null;

  const parser = new Parser({
    onopentag(name, attribs) {
      if (done) return;
      if (name === "body") {
        done = true;
        return;
      }
      if (NOT_HEAD_CONTENT.has(name)) ignoredDepth += 1;
      if (ignoredDepth > 0) return;
      if (name === "title" && head.title === null) titleText = "";
      else if (name === "meta") readMeta(head, attribs);
      else if (name === "link") readLink(head, attribs);
    },
    ontext(text) {
      if (!done && titleText !== null && titleText.length < MAX_TITLE_CHARS)
        titleText = (titleText + text).slice(0, MAX_TITLE_CHARS);
    },
    onclosetag(name) {
      if (done) return;
      if (name === "head") done = true;
      else if (NOT_HEAD_CONTENT.has(name) && ignoredDepth > 0) ignoredDepth -= 1;
      else if (name === "title" && titleText !== null) {
        head.title = clean(titleText) || null;
        titleText = null;
      }
    },
  });

  const text = input.length > MAX_CHARS ? input.slice(0, MAX_CHARS) : input;
  for (let at = 0; at < text.length && !done; at += CHUNK_CHARS) parser.write(text.slice(at, at + CHUNK_CHARS));
  parser.end();
  // A title cut off by the end of what was read still names the page.
  if (titleText !== null && head.title === null) head.title = clean(titleText) || null;
  return head;
}

function readMeta(head: HtmlHead, attribs: Record<string, string>): void {
  const charset = attr(attribs, "charset")?.trim().toLowerCase();
  if (charset && !head.charset) head.charset = charset;
  const content = attr(attribs, "content");
  if (attr(attribs, "http-equiv")?.trim().toLowerCase() === "content-type" && content && !head.charset)
    head.charset = charsetOf(content);
  const key = (attr(attribs, "property") ?? attr(attribs, "name") ?? "").trim().toLowerCase();
  if (key && content !== undefined && !head.meta.has(key)) head.meta.set(key, clean(content));
}

function readLink(head: HtmlHead, attribs: Record<string, string>): void {
  const href = attr(attribs, "href")?.trim();
  if (!href) return;
  head.links.push({
    rel: (attr(attribs, "rel") ?? "").toLowerCase(),
    href,
    type: (attr(attribs, "type") ?? "").toLowerCase().trim(),
    title: clean(attr(attribs, "title") ?? ""),
  });
}

/** The charset parameter of a Content-Type value, lower case, or null (also for a malformed value). */
export function charsetOf(contentType: string): string | null {
  try {
    return new MIMEType(contentType.trim()).params.get("charset")?.trim().toLowerCase() || null;
  } catch {
    return null;
  }
}

/** How many bytes a browser looks at for a `<meta charset>` before decoding (HTML's prescan). */
const PRESCAN_BYTES = 1024;

const BOMS: [number[], string][] = [
  [[0xef, 0xbb, 0xbf], "utf-8"],
  [[0xfe, 0xff], "utf-16be"],
  [[0xff, 0xfe], "utf-16le"],
];

/**
 * Decodes a fetched page as a browser would: a byte order mark first, then the header's
 * charset, then a `<meta charset>` (or `http-equiv`) in the first kilobyte — read by the same
 * parser over those bytes as latin1, which every ASCII-compatible encoding agrees with — else
 * UTF-8. A meta naming UTF-16 means UTF-8 (the bytes read as ASCII could not be UTF-16); an
 * unknown label falls back to UTF-8.
 */
export function decodeHtml(body: Buffer, contentType: string | undefined): string {
  const bom = BOMS.find(([bytes]) => bytes.every((b, i) => body[i] === b));
  if (bom) return new TextDecoder(bom[1]).decode(body);
  let label = contentType ? charsetOf(contentType) : null;
  if (!label) {
    label = parseHtmlHead(body.subarray(0, PRESCAN_BYTES).toString("latin1")).charset;
    if (label?.startsWith("utf-16")) label = "utf-8";
  }
  try {
    return new TextDecoder(label ?? "utf-8").decode(body);
  } catch {
    return new TextDecoder("utf-8").decode(body);
  }
}
