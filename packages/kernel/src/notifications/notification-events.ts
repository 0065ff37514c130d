import { z } from "zod";
import {
  importanceSchema,
  localizedTextSchema,
  notificationCreatedPayloadSchema,
  notificationReadPayloadSchema,
} from "@ensemble/protocol/wire/notifications";
import { defineEvent } from "../events/define-event.ts";

/** What a module asks for (`notify`); the kernel decides per recipient what is sent. See `NotificationIntent`. */
const intentSchema = z.object({
  recipients: z.array(z.string()).readonly(),
  quiet: z.array(z.string()).readonly().optional(),
  kind: z.string(),
  actorId: z.string().nullable(),
  title: localizedTextSchema,
  body: localizedTextSchema.optional(),
  link: z.string().nullable().optional(),
  importance: importanceSchema.optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  key: z.string().optional(),
});

export const notificationEvents = {
  intentCreated: defineEvent("notifications.intent.created", intentSchema, 1),
  notificationCreated: defineEvent("notifications.notification.created", notificationCreatedPayloadSchema, 1),
  notificationRead: defineEvent("notifications.notification.read", notificationReadPayloadSchema, 1),
};
