import { z } from "zod";

/** Text the web app translates (`key` + `params`), with `text` rendered for push and e-mail. */
export const localizedTextSchema = z.object({
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  text: z.string(),
});

export const importanceSchema = z.enum(["low", "normal", "high"]);

export const notificationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  actorId: z.string().nullable(),
  title: localizedTextSchema,
  body: localizedTextSchema.nullable(),
  link: z.string().nullable(),
  importance: importanceSchema,
  /** The emitting module's own fields (room, message …), opaque to the kernel. */
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.output<typeof notificationSchema>;
