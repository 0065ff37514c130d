import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AppError, noContent, route, type Kernel, type UserActor } from "@ensemble/kernel";
import { MeetingCapability, meetingCapabilities } from "../shared/capabilities.ts";
import { normaliseMeetingCode } from "../shared/code.ts";
import { attendeeParams, attendeeSchema, joinBody, joinResultSchema, lockBody } from "../shared/schemas.ts";
import type { Lobby } from "./lobby.ts";
import { loadMeeting, meetingPasswordMatches, presentAttendee, visitorAudience, type Viewer } from "./meetings.ts";
import { MeetingResource, type MeetingAction } from "./resources.ts";
import type { MeetingsDb } from "./tables.ts";

const idParams = z.object({ id: z.uuid() });
/** A visitor's pass lasts a working day: long enough for a meeting, short enough not to matter later. */
const VISITOR_PASS_SECONDS = 12 * 3600;

/** Knocking (by code, with or without an account) and the moderators' lobby: admit, deny, admit all, remove, lock, end. */
export function lobbyRoutes(app: FastifyInstance, k: Kernel, db: MeetingsDb, lobby: Lobby): void {
  route(app, {
    method: "POST",
    url: "/api/meetings/join",
    summary:
      "Knock at a meeting by its code: members usually enter, others wait in the lobby; without an account, a visitor pass for /ws",
    tags: ["meetings"],
    auth: "optional",
    body: joinBody,
    response: joinResultSchema,
    // Codes and passwords are guessed one request at a time: both are held to this budget per credential or address.
    rateLimit: { max: 20, timeWindow: "1 minute" },
    handler: async ({ actor, body }) => {
      const code = normaliseMeetingCode(body.code);
      if (!code) throw new AppError("not_found", "no meeting has this code");
      const row = await db.selectFrom("meetings_meetings").select("id").where("code", "=", code).executeTakeFirst();
      if (!row) throw new AppError("not_found", "no meeting has this code");
      let viewer: Viewer;
      let visitorPass: string | null = null;
      if (actor.kind === "user") viewer = actor;
      else {
        if (!body.name) throw new AppError("validation", "give the name the moderators will see");
        const issued = await k.visitors.issue({
          audience: visitorAudience(row.id),
          name: body.name,
          ttlSeconds: VISITOR_PASS_SECONDS,
        });
        viewer = issued.visitor;
        visitorPass = issued.token;
      }
      const m = await loadMeeting(db, { id: row.id }, viewer);
      if (!m) throw new AppError("not_found", "no meeting has this code");
      if (m.password_hash && !meetingCapabilities.can(m.viewerRole, MeetingCapability.skipPassword)) {
        if (!body.password) throw new AppError("meeting_password_required", "this meeting asks for a password");
        if (!(await meetingPasswordMatches(m.password_hash, body.password)))
          throw new AppError("meeting_password_invalid", "this password is not the meeting's");
      }
      const name = viewer.kind === "visitor" ? viewer.name : (body.name ?? viewer.username);
      const attendee = await lobby.knock(m, viewer, name);
      return { meeting: { id: m.id, code: m.code, title: m.title }, attendee: presentAttendee(attendee), visitorPass };
    },
  });

  const moderated = async (actor: UserActor, id: string, action: MeetingAction) =>
    k.policy.authorize(actor, MeetingResource, action, await loadMeeting(db, { id }, actor));

  route(app, {
    method: "GET",
    url: "/api/meetings/:id/lobby",
    summary: "Who waits in the lobby (for those who may admit)",
    tags: ["meetings"],
    auth: "user",
    params: idParams,
    response: z.object({ waiting: z.array(attendeeSchema) }),
    handler: async ({ actor, params }) => {
      const m = await moderated(actor, params.id, "admit");
      const rows = await db
        .selectFrom("meetings_attendees")
        .selectAll()
        .where("meeting_id", "=", m.id)
        .where("state", "=", "waiting")
        .orderBy("knocked_at")
        .execute();
      return { waiting: rows.map(presentAttendee) };
    },
  });

  for (const [verb, admit] of [
    ["admit", true],
    ["deny", false],
  ] as const) {
    route(app, {
      method: "POST",
      url: `/api/meetings/:id/attendees/:attendeeId/${verb}`,
      summary: admit ? "Let a waiting person in" : "Turn a waiting person away (they are told)",
      tags: ["meetings"],
      auth: "user",
      params: attendeeParams,
      response: attendeeSchema,
      handler: async ({ actor, params }) =>
        presentAttendee(
          await lobby.decide(await moderated(actor, params.id, "admit"), params.attendeeId, admit, actor),
        ),
    });
  }

  route(app, {
    method: "POST",
    url: "/api/meetings/:id/admit-all",
    summary: "Let everyone waiting in",
    tags: ["meetings"],
    auth: "user",
    params: idParams,
    response: z.object({ admitted: z.array(attendeeSchema) }),
    handler: async ({ actor, params }) => ({
      admitted: (await lobby.admitAll(await moderated(actor, params.id, "admit"), actor)).map(presentAttendee),
    }),
  });

  route(app, {
    method: "POST",
    url: "/api/meetings/:id/attendees/:attendeeId/remove",
    summary: "Remove someone from the meeting (they wait in the lobby if they come back)",
    tags: ["meetings"],
    auth: "user",
    params: attendeeParams,
    response: noContent,
    handler: async ({ actor, params }) =>
      lobby.remove(await moderated(actor, params.id, "moderate"), params.attendeeId, actor),
  });

  route(app, {
    method: "POST",
    url: "/api/meetings/:id/lock",
    summary: "Lock or unlock the meeting (nobody new may knock while it is locked)",
    tags: ["meetings"],
    auth: "user",
    params: idParams,
    body: lockBody,
    response: noContent,
    handler: async ({ actor, params, body }) =>
      lobby.lock(await moderated(actor, params.id, "lock"), body.locked, actor),
  });

  route(app, {
    method: "POST",
    url: "/api/meetings/:id/end",
    summary: "End the meeting for everyone",
    tags: ["meetings"],
    auth: "user",
    params: idParams,
    response: noContent,
    handler: async ({ actor, params }) => lobby.end(await moderated(actor, params.id, "end"), actor),
  });
}
