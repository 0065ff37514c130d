import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  AppError,
  defineEventHandler,
  rawResponse,
  route,
  signValue,
  verifySignature,
  type Kernel,
} from "@ensemble/kernel";
import { calendarPeople, hasDate, meetingCalendar, type IcsMethod } from "./ics.ts";
import { loadMeeting, meetingLink } from "./meetings.ts";
import { MeetingResource } from "./resources.ts";
import type { MeetingsDb, MeetingsTable } from "./tables.ts";

const FEED_PURPOSE = "meetings.calendar_feed";
const CALENDAR = "text/calendar; charset=utf-8";

/** The feed's address carries its own credential (calendar apps send no cookie): a signature of the user's id. */
async function feedSignature(k: Kernel, userId: string): Promise<string> {
  return signValue(await k.secrets.key(FEED_PURPOSE), FEED_PURPOSE, userId);
}

/** Downloading a meeting's invitation (« Ajouter à mon agenda ») and each person's calendar feed. */
export function calendarRoutes(app: FastifyInstance, k: Kernel, db: MeetingsDb): void {
  route(app, {
    method: "GET",
    url: "/api/meetings/:id/invitation.ics",
    summary: "The meeting as an iCalendar invitation (its cancellation once cancelled)",
    tags: ["meetings"],
    auth: "user",
    params: z.object({ id: z.uuid() }),
    response: rawResponse(CALENDAR, "iCalendar (METHOD:REQUEST or CANCEL)"),
    handler: async ({ actor, params, reply }) => {
      const m = await k.policy.authorize(
        actor,
        MeetingResource,
        "read",
        await loadMeeting(db, { id: params.id }, actor),
      );
      if (!hasDate(m)) throw new AppError("conflict", "only a scheduled meeting goes in a calendar");
      const ics = meetingCalendar(
        k,
        [{ meeting: m, ...(await calendarPeople(db, m)) }],
        m.cancelled_at ? "CANCEL" : "REQUEST",
      );
      return reply
        .header("content-type", CALENDAR)
        .header("content-disposition", 'attachment; filename="invitation.ics"')
        .send(ics);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/meetings/calendar-feed",
    summary: "The address of my meetings' calendar feed, to subscribe to from Outlook or Thunderbird",
    tags: ["meetings"],
    auth: "user",
    response: z.object({ url: z.string() }),
    handler: async ({ actor }) => ({
      url: `${k.config.publicUrl}/api/meetings/feed/${actor.id}/${await feedSignature(k, actor.id)}`,
    }),
  });

  route(app, {
    method: "GET",
    url: "/api/meetings/feed/:userId/:signature",
    summary: "A person's scheduled meetings as an iCalendar feed (the address is the credential)",
    tags: ["meetings"],
    auth: "none",
    params: z.object({ userId: z.uuid(), signature: z.string().max(100) }),
    response: rawResponse(CALENDAR, "iCalendar (METHOD:PUBLISH)"),
    // The address is the credential: guesses are counted per client address.
    rateLimit: { max: 60, timeWindow: "1 minute", per: "address" },
    handler: async ({ params, reply }) => {
      const key = await k.secrets.key(FEED_PURPOSE);
      const user = await db
        .selectFrom("users")
        .select(["id", "display_name"])
        .where("id", "=", params.userId)
        .where("deactivated", "=", 0)
        .executeTakeFirst();
      if (!user || !verifySignature(key, FEED_PURPOSE, user.id, params.signature))
        throw new AppError("not_found", "no such calendar");
      const rows = await db
        .selectFrom("meetings_meetings as m")
        .selectAll("m")
        .where((eb) =>
          eb.or([
            eb("m.organiser_id", "=", user.id),
            eb.exists(
              eb
                .selectFrom("meetings_invitees as i")
                .select("i.user_id")
                .whereRef("i.meeting_id", "=", "m.id")
                .where("i.user_id", "=", user.id),
            ),
          ]),
        )
        .where("m.cancelled_at", "is", null)
        .where("m.starts_at", "is not", null)
        .orderBy("m.starts_at", "desc")
        .limit(500)
        .execute();
      const entries = [];
      for (const m of rows) entries.push({ meeting: m, ...(await calendarPeople(db, m)) });
      return reply
        .header("content-type", CALENDAR)
        .header("cache-control", "private, no-cache")
        .send(meetingCalendar(k, entries, "PUBLISH", `Réunions — ${user.display_name}`));
    },
  });
}

const subjects: Record<IcsMethod, string> = {
  REQUEST: "Invitation",
  CANCEL: "Annulée / Cancelled",
  PUBLISH: "",
};

/**
 * After a scheduled meeting is created, changed or cancelled, each invitee
 * with an address is mailed the iCalendar object (REQUEST, or CANCEL) through
 * the kernel's mailer. A redelivered event mails the meeting's current state
 * again: calendars keep one entry per UID and the highest SEQUENCE.
 */
export function invitationMailer(k: Kernel, db: MeetingsDb) {
  return defineEventHandler({
    name: "meetings.invitations",
    events: ["meetings.meeting.created", "meetings.meeting.updated", "meetings.meeting.cancelled"],
    handle: async (event) => {
      const id = event.resources.meeting;
      if (!id) return;
      const m: MeetingsTable | undefined = await db
        .selectFrom("meetings_meetings")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      if (!m || !hasDate(m)) return;
      const method: IcsMethod = m.cancelled_at ? "CANCEL" : "REQUEST";
      const people = await calendarPeople(db, m);
      const ics = meetingCalendar(k, [{ meeting: m, ...people }], method);
      const update = method === "REQUEST" && m.sequence > 0 ? "Mise à jour / Updated" : subjects[method];
      const link = meetingLink(k, m.code);
      for (const to of people.invitees) {
        if (!to.email) continue;
        await k.mailer.send({
          to: to.email,
          subject: `${update} : ${m.title}`,
          text: `${people.organiser.name} — ${m.title}\n${m.starts_at} (${m.duration_minutes} min)\n\nRejoindre / Join: ${link}\nCode: ${m.code}\n`,
          attachments: [
            { filename: "invitation.ics", content: ics, contentType: `text/calendar; method=${method}; charset=utf-8` },
          ],
        });
      }
    },
  });
}
