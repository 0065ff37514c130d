/**
 * A small tolerant reader of an HTML document's head: `<title>`, `<meta>` and
 * `<link>` only. It never builds a DOM nor runs anything; script, style and
 * comment bodies are skipped so a `<meta>` written inside them is ignored.
 * Reading stops at `<body` or `</head>`, and after `MAX_CHARS`.
 */
export interface HtmlHead {
  title: string | null;
  /** `property` or `name` (lower case) → first content seen. */
  meta: Map<string, string>;
  links: { rel: string; href: string; type: string; title: string }[];
  charset: string | null;
}

const MAX_CHARS = 512 * 1024;
const RAW_TEXT = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "textarea",
  "xmp",
  "iframe",
  "noembed",
  "noframes",
]);

const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  hellip: "…",
  mdash: "—",
  ndash: "–",
  laquo: "«",
  raquo: "»",
  rsquo: "’",
  lsquo: "‘",
  rdquo: "”",
  ldquo: "“",
  eacute: "é",
  egrave: "è",
  agrave: "à",
  ccedil: "ç",
  ecirc: "ê",
  ocirc: "ô",
  icirc: "î",
  ucirc: "û",
  euro: "€",
  copy: "©",
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});?/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : "\ufffd";
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

const clean = (s: string) => decodeEntities(s).replace(/\s+/g, " ").trim();

/** Reads a tag's attributes from just after its name; answers them and the index after `>`. */
function readAttributes(html: string, from: number): { attrs: Map<string, string>; end: number } {
  const attrs = new Map<string, string>();
  let i = from;
  const n = html.length;
  while (i < n) {
    while (i < n && /[\s/]/.test(html[i]!)) i++;
    if (i >= n || html[i] === ">") return { attrs, end: i + 1 };
    const nameStart = i;
    while (i < n && !/[\s=>/]/.test(html[i]!)) i++;
    const name = html.slice(nameStart, i).toLowerCase();
    while (i < n && /\s/.test(html[i]!)) i++;
    let value = "";
    if (html[i] === "=") {
      i++;
      while (i < n && /\s/.test(html[i]!)) i++;
      const q = html[i];
      if (q === '"' || q === "'") {
        const close = html.indexOf(q, i + 1);
        const stop = close < 0 ? n : close;
        value = html.slice(i + 1, stop);
        i = stop + 1;
      } else {
        const start = i;
        while (i < n && !/[\s>]/.test(html[i]!)) i++;
        value = html.slice(start, i);
      }
    }
    if (name && !attrs.has(name)) attrs.set(name, value);
  }
  return { attrs, end: n };
}

export function parseHtmlHead(input: string): HtmlHead {
  const html = input.length > MAX_CHARS ? input.slice(0, MAX_CHARS) : input;
  const head: HtmlHead = { title: null, meta: new Map(), links: [], charset: null };
  const lower = html.toLowerCase();
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt < 0) break;
    if (html.startsWith("<!--", lt)) {
      const close = html.indexOf("-->", lt + 4);
      i = close < 0 ? html.length : close + 3;
      continue;
    }
    const m = /^<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/.exec(html.slice(lt, lt + 40));
    if (!m) {
      i = lt + 1;
      continue;
    }
    const closing = m[1] === "/";
    const tag = m[2]!.toLowerCase();
    if ((closing && tag === "head") || (!closing && tag === "body")) break;
    const { attrs, end } = readAttributes(html, lt + m[0].length);
    i = end;
    if (closing) continue;
    if (RAW_TEXT.has(tag)) {
      const close = lower.indexOf(`</${tag}`, i);
      i = close < 0 ? html.length : close;
    } else if (tag === "title" && head.title === null) {
      const close = lower.indexOf("</title", i);
      head.title = clean(html.slice(i, close < 0 ? html.length : close)) || null;
      i = close < 0 ? html.length : close;
    } else if (tag === "meta") {
      const charset = attrs.get("charset");
      if (charset && !head.charset) head.charset = charset.trim().toLowerCase();
      const equiv = attrs.get("http-equiv")?.toLowerCase();
      const content = attrs.get("content");
      if (equiv === "content-type" && content && !head.charset) head.charset = charsetOf(content);
      const key = (attrs.get("property") ?? attrs.get("name") ?? "").trim().toLowerCase();
      if (key && content !== undefined && !head.meta.has(key)) head.meta.set(key, clean(content));
    } else if (tag === "link") {
      const href = attrs.get("href");
      if (href) {
        head.links.push({
          rel: (attrs.get("rel") ?? "").toLowerCase(),
          href: decodeEntities(href).trim(),
          type: (attrs.get("type") ?? "").toLowerCase().trim(),
          title: clean(attrs.get("title") ?? ""),
        });
      }
    }
  }
  return head;
}

/** The charset named in a Content-Type value, lower case, or null. */
export function charsetOf(contentType: string): string | null {
  const m = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType);
  return m ? m[1]!.toLowerCase() : null;
}

/** Decodes a fetched page: the header's charset, else a `<meta charset>` in the first bytes, else UTF-8. */
export function decodeHtml(body: Buffer, contentType: string | undefined): string {
  const declared = (contentType && charsetOf(contentType)) ?? charsetOf(sniffMetaCharset(body) ?? "");
  try {
    return new TextDecoder(declared ?? "utf-8").decode(body);
  } catch {
    return new TextDecoder("utf-8").decode(body);
  }
}

function sniffMetaCharset(body: Buffer): string | null {
  const start = body.subarray(0, 2048).toString("latin1");
  const m = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(start);
  return m ? `charset=${m[1]}` : null;
}
