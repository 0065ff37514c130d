import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { noContent, recordEvent, route, type Kernel, type UserActor } from "@ensemble/kernel";
import { createMeetingBody, meetingListSchema, meetingSchema, updateMeetingBody } from "../shared/schemas.ts";
import { MeetingResource } from "./resources.ts";
import { createMeeting, inviteeRows } from "./create-meeting.ts";
import { hashMeetingPassword, loadMeeting, presentMeeting } from "./meetings.ts";
import type { MeetingsDb } from "./tables.ts";
import "./events.ts";

const idParams = z.object({ id: z.uuid() });

/** Creating, listing, reading, changing and cancelling meetings (the organiser's side). */
export function meetingRoutes(app: FastifyInstance, k: Kernel, db: MeetingsDb): void {
  const load = (id: string, actor: UserActor) => loadMeeting(db, { id }, actor);

  route(app, {
    method: "POST",
    url: "/api/meetings",
    summary: "Create a meeting: instant, scheduled (start, duration, invitees) or a permanent room",
    tags: ["meetings"],
    auth: "user",
    body: createMeetingBody,
    response: meetingSchema,
    status: 201,
    // A retried « Nouvelle réunion » (Idempotency-Key) gives the first meeting back, not a second one.
    idempotent: true,
    handler: async ({ actor, body }) => {
      const { id } = await createMeeting(db, actor, body);
      return presentMeeting(k, (await load(id, actor))!);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/meetings",
    summary: "My meetings: those I organise or am invited to, not cancelled nor over",
    tags: ["meetings"],
    auth: "user",
    response: meetingListSchema,
    handler: async ({ actor }) => {
      const ids = await db
        .selectFrom("meetings_meetings as m")
        .select("m.id")
        .where((eb) =>
          eb.or([
            eb("m.organiser_id", "=", actor.id),
            eb.exists(
              eb
                .selectFrom("meetings_invitees as i")
                .select("i.user_id")
                .whereRef("i.meeting_id", "=", "m.id")
                .where("i.user_id", "=", actor.id),
            ),
          ]),
        )
        .where("m.cancelled_at", "is", null)
        .where("m.ended_at", "is", null)
        .orderBy("m.starts_at")
        .orderBy("m.id")
        .limit(200)
        .execute();
      const meetings = [];
      for (const { id } of ids) {
        const m = await load(id, actor);
        if (m && (await k.policy.can(actor, MeetingResource, "read", m))) meetings.push(presentMeeting(k, m));
      }
      return { meetings };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/meetings/:id",
    summary: "A meeting's details and what the viewer may do in it",
    tags: ["meetings"],
    auth: "user",
    params: idParams,
    response: meetingSchema,
    handler: async ({ actor, params }) =>
      presentMeeting(k, await k.policy.authorize(actor, MeetingResource, "read", await load(params.id, actor))),
  });

  route(app, {
    method: "PATCH",
    url: "/api/meetings/:id",
    summary: "Change a meeting (a new time or invitee list is sent to invitees as an update)",
    tags: ["meetings"],
    auth: "user",
    params: idParams,
    body: updateMeetingBody,
    response: meetingSchema,
    handler: async ({ actor, params, body }) => {
      const m = await k.policy.authorize(actor, MeetingResource, "manage", await load(params.id, actor));
      const rows =
        body.invitees !== undefined || body.moderators !== undefined
          ? await inviteeRows(
              db,
              m.id,
              body.invitees ?? m.invitees.map((i) => i.user_id),
              body.moderators ?? m.invitees.filter((i) => i.moderator === 1).map((i) => i.user_id),
            )
          : null;
      const now = new Date().toISOString();
      await db.transaction().execute(async (tx) => {
        const passwordHash =
          body.password === undefined
            ? m.password_hash
            : body.password === null
              ? null
              : await hashMeetingPassword(body.password);
        await tx
          .updateTable("meetings_meetings")
          .set({
            title: body.title ?? m.title,
            description: body.description ?? m.description,
            starts_at: body.startsAt && m.kind === "scheduled" ? new Date(body.startsAt).toISOString() : m.starts_at,
            duration_minutes: m.kind === "scheduled" ? (body.durationMinutes ?? m.duration_minutes) : null,
            password_hash: passwordHash,
            lobby_for_everyone:
              body.lobbyForEveryone === undefined ? m.lobby_for_everyone : body.lobbyForEveryone ? 1 : 0,
            // Every change is sent to invitees as an update: calendars take the one with the higher SEQUENCE.
            sequence: m.sequence + 1,
            updated_at: now,
          })
          .where("id", "=", m.id)
          .execute();
        if (rows) {
          await tx.deleteFrom("meetings_invitees").where("meeting_id", "=", m.id).execute();
          if (rows.length) await tx.insertInto("meetings_invitees").values(rows).execute();
        }
        await recordEvent(tx, {
          name: "meetings.meeting.updated",
          actorId: actor.id,
          resources: { meeting: m.id },
          payload: { id: m.id, title: body.title ?? m.title, sequence: m.sequence + 1 },
        });
      });
      return presentMeeting(k, (await load(m.id, actor))!);
    },
  });

  route(app, {
    method: "DELETE",
    url: "/api/meetings/:id",
    summary: "Cancel a meeting (invitees are sent a cancellation)",
    tags: ["meetings"],
    auth: "user",
    params: idParams,
    response: noContent,
    handler: async ({ actor, params }) => {
      const m = await k.policy.authorize(actor, MeetingResource, "manage", await load(params.id, actor));
      const now = new Date().toISOString();
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable("meetings_meetings")
          .set({ cancelled_at: now, sequence: m.sequence + 1, updated_at: now })
          .where("id", "=", m.id)
          .execute();
        await recordEvent(tx, {
          name: "meetings.meeting.cancelled",
          actorId: actor.id,
          resources: { meeting: m.id },
          payload: { id: m.id, title: m.title, sequence: m.sequence + 1 },
        });
      });
    },
  });
}
