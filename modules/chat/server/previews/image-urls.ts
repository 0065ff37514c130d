import { signValue, type Kernel } from "@ensemble/kernel";
import type { Attachment, MessageMeta } from "../../shared/schemas.ts";
import { IMAGE_PURPOSE, PREVIEW_IMAGE_PATH, SIGNING_KEY } from "./preview-service.ts";

/** The attachment fields a client may show as an image (Slack's names). */
export const IMAGE_FIELDS = ["image_url", "thumb_url", "author_icon", "footer_icon"] as const;

/** The attachment fields a reader may follow as a link: http(s) only, whoever sent them (no `javascript:`). */
export const LINK_FIELDS = ["title_link", "author_link"] as const;

const isProxied = (u: string): boolean => u.startsWith(`${PREVIEW_IMAGE_PATH}?`);

const httpUrl = (u: string): string | undefined => {
  try {
    const url = new URL(u);
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : undefined;
  } catch {
    return undefined;
  }
};

const isWebLink = (v: unknown): boolean => typeof v === "string" && /^https?:\/\//i.test(v) && httpUrl(v) !== undefined;

/** The proxy's signed path for a third-party image (the key is cached per kernel database). */
export async function proxiedImagePath(k: Kernel, url: string): Promise<string> {
  const key = await k.secrets.key(SIGNING_KEY);
  return `${PREVIEW_IMAGE_PATH}?url=${encodeURIComponent(url)}&sig=${signValue(key, IMAGE_PURPOSE, url)}`;
}

/**
 * On the way in (message API, bots): links that are not http(s) are dropped,
 * and a third-party image address becomes a
 * signed path of this server's image proxy, so no reader's browser ever
 * contacts that origin (it would learn the reader's address). An address
 * already proxied is kept; anything else (relative paths, `data:`,
 * `javascript:`) is dropped.
 */
export async function proxyAttachmentImages(
  list: readonly Attachment[],
  proxy: (url: string) => Promise<string>,
): Promise<Attachment[]> {
  const out: Attachment[] = [];
  for (const a of list) {
    const copy: Record<string, unknown> = { ...a };
    for (const f of LINK_FIELDS) if (copy[f] !== undefined && !isWebLink(copy[f])) delete copy[f];
    for (const f of IMAGE_FIELDS) {
      const v = copy[f];
      if (v === undefined || (typeof v === "string" && isProxied(v))) continue;
      const abs = typeof v === "string" ? httpUrl(v) : undefined;
      if (abs) copy[f] = await proxy(abs);
      else delete copy[f];
    }
    out.push(copy as Attachment);
  }
  return out;
}

/**
 * On the way out (the presenter): whatever was stored before the rule above,
 * an image field that is not a proxied path, or a link that is not http(s),
 * is not handed to clients.
 */
export function withoutForeignImages(list: Attachment[] | null): Attachment[] | null {
  if (!list) return list;
  return list.map((a) => {
    if (!IMAGE_FIELDS.some((f) => f in a) && !LINK_FIELDS.some((f) => f in a)) return a;
    const copy: Record<string, unknown> = { ...a };
    for (const f of LINK_FIELDS) if (copy[f] !== undefined && !isWebLink(copy[f])) delete copy[f];
    for (const f of IMAGE_FIELDS) {
      const v = copy[f];
      if (v !== undefined && !(typeof v === "string" && isProxied(v))) delete copy[f];
    }
    return copy as Attachment;
  });
}

/** A bot's or webhook's icon in a message's `meta`: only a proxied path reaches clients. */
export function withoutForeignIcon(meta: MessageMeta | null): MessageMeta | null {
  if (!meta || !("iconUrl" in meta)) return meta;
  const icon = meta.iconUrl;
  if (typeof icon === "string" && isProxied(icon)) return meta;
  const { iconUrl: _dropped, ...rest } = meta;
  return rest;
}
