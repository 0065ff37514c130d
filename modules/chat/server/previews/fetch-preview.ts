import type { SafeFetcher } from "@ensemble/kernel";
import { decodeHtml, parseHtmlHead, type HtmlHead } from "./html-head.ts";

/** What a page says about itself; `imageUrl` is the third-party address, never shown to browsers as is. */
export interface PageMetadata {
  url: string;
  title?: string;
  description?: string;
  imageUrl?: string;
  siteName?: string;
}

const HTML_LIMIT = 1_048_576;
const OEMBED_LIMIT = 65_536;
const TIMEOUT_MS = 8_000;

const cut = (s: string | undefined, n: number): string | undefined => {
  if (!s) return undefined;
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
};

function absoluteHttp(href: string | undefined, base: string): string | undefined {
  if (!href) return undefined;
  try {
    const u = new URL(href, base);
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

interface OEmbed {
  title?: unknown;
  author_name?: unknown;
  provider_name?: unknown;
  thumbnail_url?: unknown;
  url?: unknown;
  type?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

async function readOEmbed(fetcher: SafeFetcher, head: HtmlHead, pageUrl: string): Promise<OEmbed | null> {
  const link = head.links.find((l) => l.rel.split(/\s+/).includes("alternate") && l.type === "application/json+oembed");
  const href = absoluteHttp(link?.href, pageUrl);
  if (!href) return null;
  try {
    const r = await fetcher.fetch(href, {
      maxBytes: OEMBED_LIMIT,
      timeoutMs: TIMEOUT_MS,
      headers: { accept: "application/json" },
    });
    if (r.status !== 200) return null;
    const parsed = JSON.parse(r.body.toString("utf8")) as unknown;
    return typeof parsed === "object" && parsed !== null ? (parsed as OEmbed) : null;
  } catch {
    return null;
  }
}

/**
 * Fetches a page through the SSRF-safe fetcher and reads its Open Graph,
 * Twitter card and oEmbed (discovery link) metadata. Answers null when the
 * target is refused, unreachable, not HTML, or says nothing worth showing.
 */
export async function fetchPageMetadata(fetcher: SafeFetcher, url: string): Promise<PageMetadata | null> {
  let res;
  try {
    res = await fetcher.fetch(url, {
      maxBytes: HTML_LIMIT,
      overflow: "truncate",
      timeoutMs: TIMEOUT_MS,
      headers: { accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1", "accept-language": "fr,en;q=0.8" },
    });
  } catch {
    return null;
  }
  const type = res.headers["content-type"] ?? "";
  if (res.status !== 200 || !/text\/html|application\/xhtml\+xml/i.test(type)) return null;
  const head = parseHtmlHead(decodeHtml(res.body, type));
  const m = head.meta;
  const base = res.url;
  let title = m.get("og:title") ?? m.get("twitter:title") ?? head.title ?? undefined;
  const description = m.get("og:description") ?? m.get("twitter:description") ?? m.get("description");
  let imageUrl = absoluteHttp(
    m.get("og:image:secure_url") ??
      m.get("og:image") ??
      m.get("og:image:url") ??
      m.get("twitter:image") ??
      m.get("twitter:image:src"),
    base,
  );
  let siteName = m.get("og:site_name") ?? m.get("application-name");
  if (!title || !imageUrl || !siteName) {
    const o = await readOEmbed(fetcher, head, base);
    if (o) {
      title ??= str(o.title);
      siteName ??= str(o.provider_name);
      imageUrl ??= absoluteHttp(str(o.thumbnail_url) ?? (o.type === "photo" ? str(o.url) : undefined), base);
    }
  }
  if (!title && !description) return null;
  const out: PageMetadata = { url };
  const t = cut(title, 300);
  const d = cut(description, 1000);
  const s = cut(siteName ?? new URL(base).hostname, 100);
  if (t) out.title = t;
  if (d) out.description = d;
  if (imageUrl && imageUrl.length <= 2000) out.imageUrl = imageUrl;
  if (s) out.siteName = s;
  return out;
}

/** The links a message's text carries, in order, outside code spans and blocks. */
export function extractUrls(text: string, max = 3): string[] {
  const withoutCode = text.replace(/```[\s\S]*?```/g, " ").replace(/`[^`\n]*`/g, " ");
  const found: string[] = [];
  for (const m of withoutCode.matchAll(/\bhttps?:\/\/[^\s<>"'`]+/gi)) {
    let u = m[0];
    // Trailing punctuation belongs to the sentence, and an unbalanced ")" to the Markdown around it.
    u = u.replace(/[.,;:!?»]+$/, "");
    while (u.endsWith(")") && (u.match(/\(/g)?.length ?? 0) < (u.match(/\)/g)?.length ?? 0)) u = u.slice(0, -1);
    try {
      const parsed = new URL(u).toString();
      if (!found.includes(parsed)) found.push(parsed);
    } catch {
      continue;
    }
    if (found.length >= max) break;
  }
  return found;
}
