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
// The stored schema's defaults are unwrapped: `.partial()` would fill every field left out with its default.
const shape = chatSettingsSchema.shape;
export const chatSettingsPatch = z
  .object({
    editWindowMinutes: shape.editWindowMinutes.unwrap().optional(),
    mentionAllConfirmThreshold: shape.mentionAllConfirmThreshold.unwrap().optional(),
    readReceipts: shape.readReceipts.unwrap().optional(),
    maxMessageLength: shape.maxMessageLength.unwrap().optional(),
    defaultChannelSlug: shape.defaultChannelSlug.unwrap().optional(),
    maxUploadMb: shape.maxUploadMb.unwrap().optional(),
  })
  .strict();
