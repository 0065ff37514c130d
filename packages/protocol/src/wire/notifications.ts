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

/** Realtime, on the recipient's `user:` topic: a new notification and the unread count. */
export const notificationCreatedPayloadSchema = z.object({
  notification: notificationSchema,
  unreadCount: z.number().int(),
});
/** Realtime, on the reader's `user:` topic: some (`ids`) or all (`all`) notifications were read. */
export const notificationReadPayloadSchema = z.object({
  ids: z.array(z.string()).optional(),
  all: z.literal(true).optional(),
  unreadCount: z.number().int(),
});
export type NotificationCreatedPayload = z.output<typeof notificationCreatedPayloadSchema>;
export type NotificationReadPayload = z.output<typeof notificationReadPayloadSchema>;

export const notificationPageSchema = z.object({
  items: z.array(notificationSchema),
  next: z.string().nullable(),
  unreadCount: z.number(),
});
export const unreadCountSchema = z.object({ unreadCount: z.number() });
export const markedAllReadSchema = z.object({ marked: z.number(), unreadCount: z.number() });

export const channelsSchema = z.object({ inApp: z.boolean(), push: z.boolean(), email: z.boolean() });
export type Channels = z.output<typeof channelsSchema>;
/** Per kind (every kind a module declares, and any the person set), the digest delay and do-not-disturb. */
export const notificationPreferencesSchema = z.object({
  kinds: z.array(channelsSchema.extend({ kind: z.string() })),
  emailDelayMinutes: z.number(),
  dnd: z.object({ enabled: z.boolean(), start: z.string(), end: z.string(), days: z.array(z.number()) }),
  /** The person's time zone, in which the do-not-disturb window applies. */
  timeZone: z.string(),
});
export type NotificationPreferences = z.output<typeof notificationPreferencesSchema>;
export const vapidKeySchema = z.object({ publicKey: z.string() });
export const pushSubscriptionSchema = z.object({ id: z.string() });
