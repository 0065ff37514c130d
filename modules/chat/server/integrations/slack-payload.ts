import { z } from "zod";
import { AppError } from "@ensemble/kernel";
import { attachmentSchema, type Attachment } from "../../shared/schemas.ts";

/** Slack's incoming-webhook payload, the parts Ensemble shows (`channel`, `blocks` … are accepted and ignored). */
export const slackPayloadSchema = z
  .object({
    text: z.string().max(40_000).optional(),
    username: z.string().trim().min(1).max(80).optional(),
    icon_url: z.string().max(2000).optional(),
    icon_emoji: z
      .string()
      .regex(/^:[a-z0-9_+-]{1,64}:$/i)
      .optional(),
    mrkdwn: z.boolean().optional(),
    attachments: z
      .array(
        z
          .object({
            fallback: z.string().optional(),
            color: z.string().optional(),
            pretext: z.string().optional(),
            author_name: z.string().optional(),
            author_link: z.string().optional(),
            author_icon: z.string().optional(),
            title: z.string().optional(),
            title_link: z.string().optional(),
            text: z.string().optional(),
            fields: z
              .array(
                z
                  .object({
                    title: z.string().optional(),
                    value: z.union([z.string(), z.number()]).optional(),
                    short: z.boolean().optional(),
                  })
                  .loose(),
              )
              .optional(),
            image_url: z.string().optional(),
            thumb_url: z.string().optional(),
            footer: z.string().optional(),
            footer_icon: z.string().optional(),
            ts: z.union([z.number(), z.string()]).optional(),
          })
          .loose(),
      )
      .max(20)
      .optional(),
    /** Block Kit: shown as Markdown text (sections, headers, fields, context); other blocks are skipped. */
    blocks: z
      .array(z.object({ type: z.string() }).loose())
      .max(50)
      .optional(),
  })
  .loose()
  .refine(
    (p) =>
      (p.text !== undefined && p.text.trim() !== "") ||
      (p.attachments?.length ?? 0) > 0 ||
      blocksToMarkdown(p.blocks) !== "",
    {
      message: "a message needs text, blocks or attachments",
      path: ["text"],
    },
  );

interface TextObject {
  type?: unknown;
  text?: unknown;
}

const textOf = (t: unknown): string => {
  const o = t as TextObject | undefined;
  if (!o || typeof o.text !== "string") return "";
  return o.type === "mrkdwn" ? mrkdwnToMarkdown(o.text) : o.text;
};

/** The readable part of Slack blocks, as Markdown; "" when they carry no text. */
export function blocksToMarkdown(blocks: readonly { type: string; [k: string]: unknown }[] | undefined): string {
  const out: string[] = [];
  for (const b of blocks ?? []) {
    if (b.type === "header") out.push(`**${textOf(b.text)}**`);
    else if (b.type === "section") {
      const main = textOf(b.text);
      if (main) out.push(main);
      const fields = Array.isArray(b.fields) ? (b.fields as unknown[]).map(textOf).filter(Boolean) : [];
      if (fields.length) out.push(fields.join("\n"));
    } else if (b.type === "context" && Array.isArray(b.elements)) {
      const parts = (b.elements as unknown[]).map(textOf).filter(Boolean);
      if (parts.length) out.push(parts.join(" · "));
    } else if (b.type === "divider") out.push("---");
  }
  const text = out.filter((x) => x && x !== "****").join("\n\n");
  return /[^-\s]/.test(text) ? text : "";
}
export type SlackPayload = z.infer<typeof slackPayloadSchema>;

const SLACK_COLORS: Record<string, string> = { good: "#2eb886", warning: "#daa038", danger: "#a30200" };

/**
 * Slack's mrkdwn to the Markdown our messages use: `<url|label>` links,
 * `*bold*`, `~strike~`; Slack's own escapes (&amp; &lt; &gt;) undone.
 */
export function mrkdwnToMarkdown(s: string): string {
  return s
    .replace(/<((?:https?|mailto):[^|>\s]+)\|([^>]+)>/g, (_m, url: string, label: string) => `[${label}](${url})`)
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, "$1")
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, (_m, w: string) => `@${w === "everyone" ? "all" : w}`)
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,;:!?])/g, "$1**$2**")
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,;:!?])/g, "$1~~$2~~")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

const httpUrl = (s: string | undefined): string | undefined => {
  if (!s) return undefined;
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : undefined;
  } catch {
    return undefined;
  }
};

const clip = (s: string | undefined, n: number): string | undefined => (s === undefined ? undefined : s.slice(0, n));

/** What an attachment's URL field may hold (`attachmentSchema`): a longer address is dropped, not cut. */
const MAX_URL = 2000;
/** A link readers may follow: http(s) only (no `javascript:`, `data:`), and short enough to store. */
const link = (s: string | undefined): string | undefined => {
  const u = httpUrl(s);
  return u && u.length <= MAX_URL ? u : undefined;
};

/** A message's text at most (the message API's own limit). */
export const MAX_TEXT = 40_000;

/**
 * Slack attachments as stored on a message. Image addresses (`image_url`,
 * `thumb_url`, `author_icon`, `footer_icon`) are third-party: `proxy` turns each into a
 * signed path on this server, so browsers never contact the other origin.
 */
export async function toAttachments(p: SlackPayload, proxy: (url: string) => Promise<string>): Promise<Attachment[]> {
  const out: Attachment[] = [];
  // The proxied path is longer than the address it encodes: an image whose path would not fit is left out.
  const image = async (s: string | undefined) => {
    const u = httpUrl(s);
    const path = u ? await proxy(u) : undefined;
    return path && path.length <= MAX_URL ? path : undefined;
  };
  for (const a of p.attachments ?? []) {
    const color = a.color
      ? Object.hasOwn(SLACK_COLORS, a.color)
        ? SLACK_COLORS[a.color]
        : /^#?[0-9a-f]{3,8}$/i.test(a.color)
          ? a.color.startsWith("#")
            ? a.color
            : `#${a.color}`
          : undefined
      : undefined;
    const candidate = {
      fallback: clip(a.fallback, 4000),
      color,
      pretext: clip(a.pretext !== undefined ? mrkdwnToMarkdown(a.pretext) : undefined, 4000),
      author_name: clip(a.author_name, 200),
      author_link: link(a.author_link),
      author_icon: await image(a.author_icon),
      title: clip(a.title, 1000),
      title_link: link(a.title_link),
      text: clip(a.text !== undefined ? mrkdwnToMarkdown(a.text) : undefined, 8000),
      fields: a.fields?.slice(0, 50).map((f) => ({
        title: (f.title ?? "").slice(0, 500),
        value: mrkdwnToMarkdown(String(f.value ?? "")).slice(0, 4000),
        ...(f.short !== undefined ? { short: f.short } : {}),
      })),
      image_url: await image(a.image_url),
      thumb_url: await image(a.thumb_url),
      footer: clip(a.footer, 500),
      footer_icon: await image(a.footer_icon),
      ts: typeof a.ts === "string" ? a.ts.slice(0, 64) : a.ts,
    };
    const defined = Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined));
    // Everything above is cut to fit; should a field still not, the sender hears of it (4xx), never a 500.
    const checked = attachmentSchema.safeParse(defined);
    if (!checked.success)
      throw new AppError("validation", "an attachment cannot be shown", {
        errors: checked.error.issues.map((i) => ({ path: `attachments.${i.path.join(".")}`, message: i.message })),
      });
    out.push(checked.data);
  }
  return out;
}

/** The body as Slack clients send it: JSON, or a form with the JSON in `payload`. */
export function slackBody(body: unknown): unknown {
  if (
    body &&
    typeof body === "object" &&
    "payload" in body &&
    typeof (body as { payload: unknown }).payload === "string"
  ) {
    try {
      return JSON.parse((body as { payload: string }).payload) as unknown;
    } catch {
      throw new AppError("malformed_json", "the payload field is not JSON");
    }
  }
  return body;
}
