import { z } from "zod";
import { defineEvent, type PayloadsOf } from "@ensemble/kernel";
import { attendeeSchema, chatMessageSchema } from "../shared/schemas.ts";

const meetingRef = z.object({ id: z.string(), title: z.string(), sequence: z.number() });

/**
 * Every event the meetings record. Lobby events go to `meeting-lobby:<id>`
 * (who may admit) and to the knocking person's own `meeting-attendee:<id>`;
 * what happens inside (who is in, chat, lock, end) to `meeting:<id>`, whose
 * subscribers are admitted people only.
 */
export const meetingEvents = {
  created: defineEvent("meetings.meeting.created", meetingRef, 1),
  updated: defineEvent("meetings.meeting.updated", meetingRef, 1),
  cancelled: defineEvent("meetings.meeting.cancelled", meetingRef, 1),
  locked: defineEvent("meetings.meeting.locked", z.object({ id: z.string(), locked: z.boolean() }), 1),
  ended: defineEvent("meetings.meeting.ended", z.object({ id: z.string() }), 1),
  knocked: defineEvent("meetings.attendee.knocked", attendeeSchema, 1),
  admitted: defineEvent("meetings.attendee.admitted", attendeeSchema, 1),
  denied: defineEvent("meetings.attendee.denied", attendeeSchema, 1),
  left: defineEvent("meetings.attendee.left", attendeeSchema, 1),
  removed: defineEvent("meetings.attendee.removed", attendeeSchema, 1),
  chatPosted: defineEvent("meetings.chat.posted", chatMessageSchema, 1),
};

declare module "@ensemble/kernel" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends PayloadsOf<typeof meetingEvents> {}
}
