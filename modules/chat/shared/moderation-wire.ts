import { z } from "zod";
import { reportResolutionSchema } from "./events.ts";
import { personSchema } from "./room-wire.ts";

/** What the report, mute and retention routes answer (see room-wire.ts). */

const userRef = z.object({ id: z.string(), username: z.string() });

export const reportCreatedSchema = z.object({
  id: z.string(),
  messageId: z.string(),
  roomId: z.string(),
  reason: z.string(),
});
export type ReportCreated = z.infer<typeof reportCreatedSchema>;

export const reportSchema = z.object({
  id: z.string(),
  reason: z.string(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolution: reportResolutionSchema.nullable(),
  reporter: userRef.nullable(),
  message: z.object({
    id: z.string(),
    /** Empty once the message is deleted. */
    text: z.string(),
    deletedAt: z.string().nullable(),
    author: userRef.nullable(),
  }),
});
export type Report = z.infer<typeof reportSchema>;
export const reportListSchema = z.object({ items: z.array(reportSchema) });
export type ReportList = z.infer<typeof reportListSchema>;

export const reportResolvedSchema = z.object({
  id: z.string(),
  resolvedAt: z.string(),
  resolvedBy: z.string(),
  resolution: reportResolutionSchema,
});
export type ReportResolved = z.infer<typeof reportResolvedSchema>;

/** `until` null: muted until a moderator unmutes. */
export const muteSetSchema = z.object({ roomId: z.string(), userId: z.string(), until: z.string().nullable() });
export type MuteSet = z.infer<typeof muteSetSchema>;
export const muteSchema = z.object({
  user: personSchema,
  until: z.string().nullable(),
  mutedBy: z.string().nullable(),
  mutedAt: z.string(),
});
export type Mute = z.infer<typeof muteSchema>;
export const muteListSchema = z.object({ items: z.array(muteSchema) });
export type MuteList = z.infer<typeof muteListSchema>;

/** The organisation's retention (0 keeps messages forever) and the rooms that have their own. */
export const retentionSchema = z.object({
  days: z.number().int(),
  rooms: z.array(z.object({ roomId: z.string(), days: z.number().int(), updatedAt: z.string() })),
});
export type Retention = z.infer<typeof retentionSchema>;
export const globalRetentionSetSchema = z.object({ days: z.number().int() });
export type GlobalRetentionSet = z.infer<typeof globalRetentionSetSchema>;

export const roomRetentionSchema = z.object({
  roomId: z.string(),
  /** The room's own setting in days, null when it follows the global one. */
  days: z.number().int().nullable(),
  globalDays: z.number().int(),
  /** What applies: 0 keeps messages forever. */
  effectiveDays: z.number().int(),
});
export type RoomRetention = z.infer<typeof roomRetentionSchema>;
export const roomRetentionSetSchema = z.object({ roomId: z.string(), days: z.number().int().nullable() });
export type RoomRetentionSet = z.infer<typeof roomRetentionSetSchema>;

/** The rooms where a retention run deleted messages, and how many. */
export const retentionRunSchema = z.object({
  rooms: z.array(z.object({ roomId: z.string(), deleted: z.number().int() })),
});
export type RetentionRun = z.infer<typeof retentionRunSchema>;
