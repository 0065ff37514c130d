import { z } from "zod";

/** Text the web app translates (`key` + `params`), with `text` rendered for push and e-mail. */
export interface LocalizedText {
  key: string;
  params?: Record<string, string | number>;
  text: string;
}

export type Importance = "low" | "normal" | "high";

export interface Channels {
  inApp: boolean;
  push: boolean;
  email: boolean;
}

/** A kind a module emits, and the channels it uses until the user says otherwise. */
export interface NotificationKind {
  kind: string;
  defaults: Channels;
}

/** What a module asks for; the kernel decides per recipient what is actually sent. */
export interface NotificationIntent {
  recipients: readonly string[];
  /** Recipients notified in the app (and by e-mail) but not pushed, e.g. present in do-not-disturb for an `@here`. */
  quiet?: readonly string[];
  kind: string;
  /** Who caused it: never notified of their own action. */
  actorId: string | null;
  title: LocalizedText;
  body?: LocalizedText;
  /** App-relative path the notification opens (`/chat/r/…`). */
  link?: string | null;
  importance?: Importance;
  data?: Record<string, unknown>;
  /** Same key, same recipient → delivered once (redelivered events, retries). */
  key?: string;
}

export const KIND_RE = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$/;
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM");

export const channelsPatch = z.object({ inApp: z.boolean(), push: z.boolean(), email: z.boolean() }).partial().strict();

/** Stored per user; anything missing takes the default. */
export const storedPrefsSchema = z.object({
  kinds: z.record(z.string(), channelsPatch).default({}),
  /** E-mail what stayed unread this long (digest). */
  emailDelayMinutes: z.number().int().min(0).max(10_080).default(30),
  dnd: z
    .object({
      enabled: z.boolean().default(false),
      /** In the user's time zone; a window may cross midnight (22:00 → 07:00). */
      start: hhmm.default("20:00"),
      end: hhmm.default("08:00"),
      /** Days it applies (0 = Sunday); every day when empty. */
      days: z.array(z.number().int().min(0).max(6)).max(7).default([]),
    })
    .default({ enabled: false, start: "20:00", end: "08:00", days: [] }),
});
export type StoredPrefs = z.infer<typeof storedPrefsSchema>;

export const prefsPatchSchema = z
  .object({
    kinds: z.record(z.string().regex(KIND_RE).max(100), channelsPatch).optional(),
    emailDelayMinutes: z.number().int().min(0).max(10_080).optional(),
    dnd: z
      .object({ enabled: z.boolean(), start: hhmm, end: hhmm, days: z.array(z.number().int().min(0).max(6)).max(7) })
      .partial()
      .strict()
      .optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "nothing to change" });
