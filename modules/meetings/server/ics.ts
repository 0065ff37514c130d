import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import type { Kernel } from "@ensemble/kernel";
import { meetingLink } from "./meetings.ts";
import type { MeetingsDb, MeetingsTable } from "./tables.ts";

export type IcsMethod = "REQUEST" | "CANCEL" | "PUBLISH";

interface Person {
  name: string;
  email: string | null;
}

/** One UID per meeting for ever: calendars match an update or a cancellation to the invitation by it. */
export const meetingUid = (k: Kernel, id: string) => `${id}@${new URL(k.config.publicUrl).hostname}`;

/** The address an invitation comes from when the organiser has none: the server's own sender. */
function fallbackAddress(k: Kernel): string {
  const m = /<([^>]+)>/.exec(k.config.MAIL_FROM);
  return (m?.[1] ?? k.config.MAIL_FROM).trim();
}

/** Only scheduled meetings have a place in a calendar. */
export const hasDate = (m: MeetingsTable): m is MeetingsTable & { starts_at: string; duration_minutes: number } =>
  m.starts_at !== null && m.duration_minutes !== null;

/**
 * A meeting as an iCalendar object (RFC 5545, iTIP methods of RFC 5546):
 * REQUEST for an invitation and each update (same UID, SEQUENCE raised by
 * every change), CANCEL when cancelled, PUBLISH for a subscribed feed. The
 * link and the code are in the description, URL and LOCATION, so whichever
 * the calendar shows, people can join.
 */
export function meetingCalendar(
  k: Kernel,
  meetings: { meeting: MeetingsTable; organiser: Person; invitees: Person[] }[],
  method: IcsMethod,
  name = "Ensemble",
): string {
  const cal = ical({
    name,
    prodId: { company: "Ensemble", product: "Reunions", language: "FR" },
    method: ICalCalendarMethod[method],
  });
  for (const { meeting: m, organiser, invitees } of meetings) {
    if (!hasDate(m)) continue;
    const link = meetingLink(k, m.code);
    const start = new Date(m.starts_at);
    cal.createEvent({
      id: meetingUid(k, m.id),
      sequence: m.sequence,
      start,
      end: new Date(start.getTime() + m.duration_minutes * 60_000),
      stamp: new Date(m.updated_at),
      summary: m.title,
      description: `${m.description ? `${m.description}\n\n` : ""}Rejoindre / Join: ${link}\nCode: ${m.code}`,
      location: link,
      url: link,
      status: method === "CANCEL" || m.cancelled_at ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      organizer: { name: organiser.name, email: organiser.email ?? fallbackAddress(k) },
      attendees: invitees
        .filter((i): i is { name: string; email: string } => i.email !== null)
        .map((i) => ({
          name: i.name,
          email: i.email,
          rsvp: true,
          role: ICalAttendeeRole.REQ,
          status: ICalAttendeeStatus.NEEDSACTION,
        })),
    });
  }
  return cal.toString();
}

/** A meeting's organiser and invitees as the calendar names them. */
export async function calendarPeople(
  db: MeetingsDb,
  m: MeetingsTable,
): Promise<{ organiser: Person; invitees: Person[] }> {
  const organiser = await db
    .selectFrom("users")
    .select(["display_name as name", "email"])
    .where("id", "=", m.organiser_id)
    .executeTakeFirstOrThrow();
  const invitees = await db
    .selectFrom("meetings_invitees as i")
    .innerJoin("users as u", "u.id", "i.user_id")
    .select(["u.display_name as name", "u.email"])
    .where("i.meeting_id", "=", m.id)
    .where("u.deactivated", "=", 0)
    .orderBy("u.display_name")
    .execute();
  return { organiser, invitees };
}
