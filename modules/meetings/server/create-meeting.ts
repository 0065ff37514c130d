import {
  AppError,
  isUniqueViolation,
  recordEvent,
  type CallProvider,
  type Kernel,
  type UserActor,
} from "@ensemble/kernel";
import { uuidv7 } from "@ensemble/protocol";
import { createMeetingBody, type CreateMeetingBody } from "../shared/schemas.ts";
import { hashMeetingPassword, meetingLink, newMeetingCode } from "./meetings.ts";
import type { MeetingsDb, MeetingsTable } from "./tables.ts";
import "./events.ts";

/** Invitees must be active accounts; moderators are invitees too. */
export async function inviteeRows(db: MeetingsDb, meetingId: string, invitees: string[], moderators: string[]) {
  const ids = [...new Set([...invitees, ...moderators])];
  if (!ids.length) return [];
  const found = await db.selectFrom("users").select("id").where("id", "in", ids).where("deactivated", "=", 0).execute();
  if (found.length !== ids.length) throw new AppError("validation", "an invitee is not an active account");
  return ids.map((user_id) => ({ meeting_id: meetingId, user_id, moderator: moderators.includes(user_id) ? 1 : 0 }));
}

/** Creates a meeting organised by `actor` (with its invitees and its event); answers its id. */
export async function createMeeting(
  db: MeetingsDb,
  actor: UserActor,
  input: CreateMeetingBody,
): Promise<{ id: string; code: string }> {
  const body = createMeetingBody.parse(input);
  const now = new Date().toISOString();
  const id = uuidv7();
  const rows = await inviteeRows(db, id, body.invitees, body.moderators);
  const base: Omit<MeetingsTable, "code"> = {
    id,
    kind: body.kind,
    title: body.title,
    description: body.description,
    starts_at: body.kind === "scheduled" && body.startsAt ? new Date(body.startsAt).toISOString() : null,
    duration_minutes: body.kind === "scheduled" ? (body.durationMinutes ?? null) : null,
    organiser_id: actor.id,
    password_hash: body.password ? await hashMeetingPassword(body.password) : null,
    locked: 0,
    lobby_for_everyone: body.lobbyForEveryone ? 1 : 0,
    sequence: 0,
    ended_at: null,
    cancelled_at: null,
    created_at: now,
    updated_at: now,
  };
  // A code is ten letters from 23: a collision is rare, and simply drawn again.
  for (let attempt = 0; ; attempt++) {
    const code = newMeetingCode();
    try {
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto("meetings_meetings")
          .values({ ...base, code })
          .execute();
        if (rows.length) await tx.insertInto("meetings_invitees").values(rows).execute();
        await recordEvent(tx, {
          name: "meetings.meeting.created",
          actorId: actor.id,
          resources: { meeting: id },
          payload: { id, title: base.title, sequence: 0 },
        });
      });
      return { id, code };
    } catch (e) {
      if (!isUniqueViolation(e) || attempt >= 4) throw e;
    }
  }
}

/** What the kernel hands other modules (a chat room's call): an instant meeting in one step. */
export function meetingCalls(k: Kernel, db: MeetingsDb): CallProvider {
  return {
    startInstant: async (actor, title) => {
      const { id, code } = await createMeeting(db, actor, { kind: "instant", title: title.slice(0, 200) || "…" });
      return { meetingId: id, code, title, path: `/meetings/${code}`, url: meetingLink(k, code) };
    },
  };
}
