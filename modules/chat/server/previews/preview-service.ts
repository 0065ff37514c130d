import { createHash } from "node:crypto";
import { signValue, type Kernel, type SafeFetcher, type ServerKeys } from "@ensemble/kernel";
import type { LinkPreview } from "../../shared/schemas.ts";
import { type ChatDb } from "../tables.ts";
import { extractUrls, fetchPageMetadata, type PageMetadata } from "./fetch-preview.ts";

const HIT_TTL_MS = 24 * 3_600_000;
const MISS_TTL_MS = 3_600_000;
export const IMAGE_PURPOSE = "preview-image";
export const PREVIEW_IMAGE_PATH = "/api/chat/preview-image";
/** The server key the image proxy's paths are signed with (the name predates `k.secrets`: kept for existing databases). */
export const SIGNING_KEY = "chat.signing_key";

const urlHash = (url: string) => createHash("sha256").update(url).digest("hex");

/**
 * Link previews: page metadata cached per URL (a miss too, for less time), and
 * the preview a message shows. The image is never the third-party address: it
 * is a signed path on this server, which fetches it through the same guard.
 */
export class PreviewService {
  private readonly db: ChatDb;
  private readonly fetcher: SafeFetcher;
  private readonly keys: ServerKeys;

  constructor(db: ChatDb, k: Pick<Kernel, "net" | "secrets">) {
    this.db = db;
    this.fetcher = k.net;
    this.keys = k.secrets;
  }

  async metadata(url: string): Promise<PageMetadata | null> {
    const hash = urlHash(url);
    const now = new Date();
    const cached = await this.db
      .selectFrom("chat_link_previews")
      .selectAll()
      .where("url_hash", "=", hash)
      .executeTakeFirst();
    if (cached && cached.expires_at > now.toISOString())
      return cached.data ? (JSON.parse(cached.data) as PageMetadata) : null;
    const fresh = await fetchPageMetadata(this.fetcher, url);
    const row = {
      url,
      data: fresh ? JSON.stringify(fresh) : null,
      fetched_at: now.toISOString(),
      expires_at: new Date(now.getTime() + (fresh ? HIT_TTL_MS : MISS_TTL_MS)).toISOString(),
    };
    await this.db
      .insertInto("chat_link_previews")
      .values({ url_hash: hash, ...row })
      .onConflict((oc) => oc.column("url_hash").doUpdateSet(row))
      .execute();
    return fresh;
  }

  /** The preview of the first link in the text that has one (up to three are tried), or null. */
  async previewFor(text: string): Promise<LinkPreview | null> {
    for (const url of extractUrls(text, 3)) {
      const m = await this.metadata(url);
      if (m) return this.present(m);
    }
    return null;
  }

  async imagePath(imageUrl: string): Promise<string> {
    const key = await this.keys.key(SIGNING_KEY);
    return `${PREVIEW_IMAGE_PATH}?url=${encodeURIComponent(imageUrl)}&sig=${signValue(key, IMAGE_PURPOSE, imageUrl)}`;
  }

  private async present(m: PageMetadata): Promise<LinkPreview> {
    const p: LinkPreview = { url: m.url };
    if (m.title) p.title = m.title;
    if (m.description) p.description = m.description;
    if (m.siteName) p.siteName = m.siteName;
    if (m.imageUrl) p.image = await this.imagePath(m.imageUrl);
    return p;
  }
}
