import { z } from "zod";

/** Organisation-wide chat settings (admin), stored under the `chat` settings key. */
export const chatSettingsSchema = z.object({
  /** Authors may edit and delete their messages for this long (minutes); 0 = forever. */
  editWindowMinutes: z
    .number()
    .int()
    .min(0)
    .max(525_600)
    .default(60 * 24),
  /** Above this many members, `@channel`/`@all`/`@here` need `confirmAll: true`. */
  mentionAllConfirmThreshold: z.number().int().min(0).max(100_000).default(20),
  /** "Seen by" read receipts. */
  readReceipts: z.boolean().default(false),
  maxMessageLength: z.number().int().min(100).max(40_000).default(10_000),
  defaultChannelSlug: z.string().min(1).max(80).default("general"),
  /** Largest file attached to a message, in megabytes (uploads beyond get 413). */
  maxUploadMb: z.number().int().min(1).max(10_240).default(100),
});
export type ChatSettings = z.infer<typeof chatSettingsSchema>;
export const chatSettingsPatch = chatSettingsSchema.partial().strict();
