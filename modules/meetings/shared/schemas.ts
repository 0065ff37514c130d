import { z } from "zod";
import { meetingCapabilities, meetingRoles } from "./capabilities.ts";
import { MEETING_CODE_PATTERN } from "./code.ts";

export const meetingKinds = ["instant", "scheduled", "permanent"] as const;
export const meetingKindSchema = z.enum(meetingKinds);
export type MeetingKind = z.infer<typeof meetingKindSchema>;

export const attendeeStates = ["waiting", "admitted", "denied", "left", "removed", "ended"] as const;
export type AttendeeState = (typeof attendeeStates)[number];

const capabilityNames = Object.keys(meetingCapabilities.grants.organiser) as [string, ...string[]];
const title = z.string().trim().min(1).max(200);
const password = z.string().min(4).max(100);

const description = z.string().max(5_000);
const startsAt = z.iso.datetime({ offset: true });
const durationMinutes = z
  .number()
  .int()
  .min(5)
  .max(24 * 60);
const people = (max: number) => z.array(z.uuid()).max(max);

export const createMeetingBody = z
  .object({
    kind: meetingKindSchema,
    title,
    description: description.default(""),
    startsAt: startsAt.optional(),
    durationMinutes: durationMinutes.optional(),
    invitees: people(200).default([]),
    /** Invitees (or other members) the organiser names moderators. */
    moderators: people(50).default([]),
    password: password.optional(),
    /** Members wait in the lobby too (by default only guests and people without an account do). */
    lobbyForEveryone: z.boolean().default(false),
  })
  .refine((b) => b.kind !== "scheduled" || (b.startsAt !== undefined && b.durationMinutes !== undefined), {
    message: "a scheduled meeting has a start and a duration",
    path: ["startsAt"],
  });
export type CreateMeetingBody = z.input<typeof createMeetingBody>;

/** Every field may change; a password of null removes it. */
export const updateMeetingBody = z
  .object({ title, description, startsAt, durationMinutes, invitees: people(200), moderators: people(50) })
  .partial()
  .extend({ password: password.nullable().optional(), lobbyForEveryone: z.boolean().optional() });

export const meetingSchema = z.object({
  id: z.string(),
  code: z.string(),
  kind: meetingKindSchema,
  title: z.string(),
  description: z.string(),
  startsAt: z.string().nullable(),
  durationMinutes: z.number().nullable(),
  organiserId: z.string(),
  link: z.string(),
  locked: z.boolean(),
  lobbyForEveryone: z.boolean(),
  hasPassword: z.boolean(),
  sequence: z.number(),
  endedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  invitees: z.array(z.object({ userId: z.string(), moderator: z.boolean() })),
  /** The viewer's role and what it lets them do here (the web shows controls from this, never from the role name). */
  viewer: z.object({ role: z.enum(meetingRoles), capabilities: z.array(z.enum(capabilityNames)) }),
});
export type MeetingDto = z.output<typeof meetingSchema>;

export const meetingListSchema = z.object({ meetings: z.array(meetingSchema) });

export const attendeeSchema = z.object({
  id: z.string(),
  meetingId: z.string(),
  name: z.string(),
  userId: z.string().nullable(),
  role: z.enum(meetingRoles),
  state: z.enum(attendeeStates),
  knockedAt: z.string(),
});
export type AttendeeDto = z.output<typeof attendeeSchema>;

export const joinBody = z.object({
  code: z.string().max(40),
  /** The name shown in the lobby; people without an account must give one. */
  name: z.string().trim().min(1).max(100).optional(),
  password: z.string().max(100).optional(),
});

/** What a person knocking learns: only the meeting's title and code, their own state and, without an account, their visitor pass. */
export const joinResultSchema = z.object({
  meeting: z.object({ id: z.string(), code: z.string(), title: z.string() }),
  attendee: attendeeSchema,
  /** For `/ws?visitor_pass=…`: only for people without an account. */
  visitorPass: z.string().nullable(),
});

export const attendeeParams = z.object({ id: z.uuid(), attendeeId: z.uuid() });
export const lockBody = z.object({ locked: z.boolean() });

export const chatMessageSchema = z.object({
  id: z.string(),
  attendeeId: z.string(),
  name: z.string(),
  text: z.string(),
  at: z.string(),
});

/** Topics: the meeting (admitted people), its lobby (who may admit), one attendee's own state. */
export const MEETING_TOPIC = "meeting:";
export const LOBBY_TOPIC = "meeting-lobby:";
export const ATTENDEE_TOPIC = "meeting-attendee:";
export const meetingTopic = (id: string) => `${MEETING_TOPIC}${id}`;
export const lobbyTopic = (id: string) => `${LOBBY_TOPIC}${id}`;
export const attendeeTopic = (id: string) => `${ATTENDEE_TOPIC}${id}`;

export { MEETING_CODE_PATTERN };
