import { randomBytes, randomInt, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { can, Capability, type Kernel, type UserActor, type VisitorActor } from "@ensemble/kernel";
import { meetingCapabilities, type MeetingRole } from "../shared/capabilities.ts";
import { CODE_ALPHABET } from "../shared/code.ts";
import type { AttendeeDto, MeetingDto } from "../shared/schemas.ts";
import type { MeetingRecord } from "./resources.ts";
import type { MeetingAttendeesTable, MeetingsDb, MeetingsTable } from "./tables.ts";

/** Who looks at a meeting: a signed-in person, or a visitor holding a pass for it. */
export type Viewer = UserActor | VisitorActor;

/** A visitor's pass names the one meeting it is for. */
export const visitorAudience = (meetingId: string) => `meetings:${meetingId}`;

export function newMeetingCode(): string {
  const pick = (n: number) => Array.from({ length: n }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
  return `${pick(3)}-${pick(4)}-${pick(3)}`;
}

/** Role from identity: organiser, a moderator they named, an organisation member, a guest account, or a visitor. */
export function roleOf(m: MeetingsTable, invitees: MeetingRecord["invitees"], viewer: Viewer): MeetingRole {
  if (viewer.kind === "visitor") return "anonymous";
  if (m.organiser_id === viewer.id) return "organiser";
  if (invitees.some((i) => i.user_id === viewer.id && i.moderator === 1)) return "moderator";
  return can(viewer.role, Capability.browseDirectory) ? "participant" : "guest";
}

/** The meeting with the viewer's role and latest knock; undefined when there is none (or the visitor's pass is for another). */
export async function loadMeeting(
  db: MeetingsDb,
  where: { id: string } | { code: string },
  viewer: Viewer,
): Promise<MeetingRecord | undefined> {
  const m = await db
    .selectFrom("meetings_meetings")
    .selectAll()
    .$call((q) => ("id" in where ? q.where("id", "=", where.id) : q.where("code", "=", where.code)))
    .executeTakeFirst();
  if (!m) return undefined;
  if (viewer.kind === "visitor" && viewer.audience !== visitorAudience(m.id)) return undefined;
  const invitees = await db.selectFrom("meetings_invitees").selectAll().where("meeting_id", "=", m.id).execute();
  return {
    ...m,
    invitees,
    viewerRole: roleOf(m, invitees, viewer),
    viewerInvited: invitees.some((i) => i.user_id === viewer.id),
    viewerAttendee: (await latestAttendee(db, m.id, viewer)) ?? null,
  };
}

export function latestAttendee(
  db: MeetingsDb,
  meetingId: string,
  viewer: Viewer,
): Promise<MeetingAttendeesTable | undefined> {
  return db
    .selectFrom("meetings_attendees")
    .selectAll()
    .where("meeting_id", "=", meetingId)
    .where(viewer.kind === "visitor" ? "visitor_id" : "user_id", "=", viewer.id)
    .orderBy("knocked_at", "desc")
    .orderBy("id", "desc")
    .executeTakeFirst();
}

export const meetingLink = (k: Kernel, code: string) => `${k.config.publicUrl.replace(/\/$/, "")}/meetings/${code}`;

export function presentMeeting(k: Kernel, r: MeetingRecord): MeetingDto {
  return {
    id: r.id,
    code: r.code,
    kind: r.kind,
    title: r.title,
    description: r.description,
    startsAt: r.starts_at,
    durationMinutes: r.duration_minutes,
    organiserId: r.organiser_id,
    link: meetingLink(k, r.code),
    locked: r.locked === 1,
    lobbyForEveryone: r.lobby_for_everyone === 1,
    hasPassword: r.password_hash !== null,
    sequence: r.sequence,
    endedAt: r.ended_at,
    cancelledAt: r.cancelled_at,
    invitees: r.invitees.map((i) => ({ userId: i.user_id, moderator: i.moderator === 1 })),
    viewer: {
      role: r.viewerRole,
      capabilities: meetingCapabilities.held(r.viewerRole, { lobbyOnlyForOutsiders: r.lobby_for_everyone === 0 }),
    },
  };
}

export const presentAttendee = (a: MeetingAttendeesTable): AttendeeDto => ({
  id: a.id,
  meetingId: a.meeting_id,
  name: a.name,
  userId: a.user_id,
  role: a.role,
  state: a.state,
  knockedAt: a.knocked_at,
});

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;

/** Meeting passwords are shared secrets, but stored like any other: salted and hashed. */
export async function hashMeetingPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32);
  return `scrypt$${salt.toString("base64url")}$${hash.toString("base64url")}`;
}

export async function meetingPasswordMatches(stored: string, given: string): Promise<boolean> {
  const [, salt, hash] = stored.split("$");
  if (!salt || !hash) return false;
  const got = await scryptAsync(given, Buffer.from(salt, "base64url"), 32);
  return timingSafeEqual(got, Buffer.from(hash, "base64url"));
}
