import type { Transaction } from "kysely";
import { AppError, recordEvent, type Kernel, type KernelTables } from "@ensemble/kernel";
import { uuidv7 } from "@ensemble/protocol";
import { MeetingCapability, meetingCapabilities } from "../shared/capabilities.ts";
import { attendeeTopic, lobbyTopic, meetingTopic, type AttendeeState } from "../shared/schemas.ts";
import { presentAttendee, type Viewer } from "./meetings.ts";
import type { MeetingRecord } from "./resources.ts";
import type { MeetingAttendeesTable, MeetingsDb, MeetingsTables } from "./tables.ts";
import "./events.ts";

type Tx = Transaction<KernelTables & MeetingsTables>;

/** Called after a person leaves the meeting by any path: their live feed and media end on every node. */
export type GoneHook = (meetingId: string, personId: string) => Promise<void>;

const personOf = (a: MeetingAttendeesTable) => a.user_id ?? a.visitor_id ?? "";
const live = (m: MeetingRecord) => m.ended_at === null && m.cancelled_at === null;
const present = new Set<AttendeeState>(["waiting", "admitted"]);

/**
 * The lobby's state machine, decided on the server. A knock creates an
 * attendance: admitted at once when the role enters directly (organiser,
 * moderators, members unless the lobby is for everyone), waiting otherwise.
 * Moderators admit or deny a waiting person; a person leaves; a moderator
 * removes someone; ending moves everyone out. Each step records its event in
 * the same transaction and only moves from the states it expects, so two
 * moderators deciding at once do not both win.
 */
export class Lobby {
  private readonly k: Kernel;
  private readonly db: MeetingsDb;
  private readonly gone: GoneHook;
  constructor(k: Kernel, db: MeetingsDb, gone: GoneHook) {
    this.k = k;
    this.db = db;
    this.gone = gone;
  }

  async knock(m: MeetingRecord, viewer: Viewer, name: string): Promise<MeetingAttendeesTable> {
    if (!live(m)) throw new AppError("meeting_ended", "this meeting has ended");
    const previous = m.viewerAttendee;
    if (previous && present.has(previous.state)) return previous;
    const settings = { lobbyOnlyForOutsiders: m.lobby_for_everyone === 0 };
    if (m.locked === 1 && !meetingCapabilities.can(m.viewerRole, MeetingCapability.enterLocked))
      throw new AppError("meeting_locked", "this meeting is locked");
    // Someone removed waits for a moderator if they come back, whatever their role.
    const direct =
      meetingCapabilities.can(m.viewerRole, MeetingCapability.enterDirectly, settings) && previous?.state !== "removed";
    const row: MeetingAttendeesTable = {
      id: uuidv7(),
      meeting_id: m.id,
      user_id: viewer.kind === "user" ? viewer.id : null,
      visitor_id: viewer.kind === "visitor" ? viewer.id : null,
      name,
      role: m.viewerRole,
      state: direct ? "admitted" : "waiting",
      knocked_at: new Date().toISOString(),
      decided_at: null,
      decided_by: null,
    };
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto("meetings_attendees").values(row).execute();
      await this.record(tx, direct ? "meetings.attendee.admitted" : "meetings.attendee.knocked", row, viewer, direct);
    });
    return row;
  }

  /** Admit or deny one waiting person. */
  async decide(m: MeetingRecord, attendeeId: string, admit: boolean, by: Viewer): Promise<MeetingAttendeesTable> {
    const row = await this.db.transaction().execute(async (tx) => {
      const moved = await this.move(tx, m.id, attendeeId, ["waiting"], admit ? "admitted" : "denied", by);
      if (!moved) throw new AppError("conflict", "this person is no longer waiting");
      await this.record(tx, admit ? "meetings.attendee.admitted" : "meetings.attendee.denied", moved, by, admit);
      return moved;
    });
    return row;
  }

  async admitAll(m: MeetingRecord, by: Viewer): Promise<MeetingAttendeesTable[]> {
    return this.db.transaction().execute(async (tx) => {
      const waiting = await tx
        .selectFrom("meetings_attendees")
        .select("id")
        .where("meeting_id", "=", m.id)
        .where("state", "=", "waiting")
        .execute();
      const out: MeetingAttendeesTable[] = [];
      for (const w of waiting) {
        const moved = await this.move(tx, m.id, w.id, ["waiting"], "admitted", by);
        if (moved) {
          await this.record(tx, "meetings.attendee.admitted", moved, by, true);
          out.push(moved);
        }
      }
      return out;
    });
  }

  /** The person themself, waiting or in. */
  async leave(m: MeetingRecord, viewer: Viewer): Promise<void> {
    const a = m.viewerAttendee;
    if (!a || !present.has(a.state)) return;
    const moved = await this.db.transaction().execute(async (tx) => {
      const r = await this.move(tx, m.id, a.id, ["waiting", "admitted"], "left", viewer);
      if (r) await this.record(tx, "meetings.attendee.left", r, viewer, a.state === "admitted");
      return r;
    });
    if (moved) await this.gone(m.id, personOf(moved));
  }

  async remove(m: MeetingRecord, attendeeId: string, by: Viewer): Promise<void> {
    const moved = await this.db.transaction().execute(async (tx) => {
      const before = await tx
        .selectFrom("meetings_attendees")
        .select("state")
        .where("id", "=", attendeeId)
        .executeTakeFirst();
      const r = await this.move(tx, m.id, attendeeId, ["waiting", "admitted"], "removed", by);
      if (!r) throw new AppError("conflict", "this person is not in the meeting");
      await this.record(tx, "meetings.attendee.removed", r, by, before?.state === "admitted");
      return r;
    });
    await this.gone(m.id, personOf(moved));
  }

  async lock(m: MeetingRecord, locked: boolean, by: Viewer): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable("meetings_meetings")
        .set({ locked: locked ? 1 : 0, updated_at: new Date().toISOString() })
        .where("id", "=", m.id)
        .execute();
      await recordEvent(tx, {
        name: "meetings.meeting.locked",
        actorId: by.kind === "user" ? by.id : null,
        resources: { meeting: m.id },
        payload: { id: m.id, locked },
        topics: [meetingTopic(m.id), lobbyTopic(m.id)],
      });
    });
  }

  /**
   * Ends the meeting for everyone: whoever is in or waiting is moved out and
   * told. A scheduled or instant meeting is over for good; a permanent room
   * only empties (it can be entered again).
   */
  async end(m: MeetingRecord, by: Viewer): Promise<void> {
    const now = new Date().toISOString();
    const out = await this.db.transaction().execute(async (tx) => {
      const inside = await tx
        .selectFrom("meetings_attendees")
        .selectAll()
        .where("meeting_id", "=", m.id)
        .where("state", "in", ["waiting", "admitted"])
        .execute();
      await tx
        .updateTable("meetings_attendees")
        .set({ state: "ended", decided_at: now, decided_by: by.id })
        .where("meeting_id", "=", m.id)
        .where("state", "in", ["waiting", "admitted"])
        .execute();
      if (m.kind !== "permanent")
        await tx
          .updateTable("meetings_meetings")
          .set({ ended_at: now, updated_at: now })
          .where("id", "=", m.id)
          .execute();
      await recordEvent(tx, {
        name: "meetings.meeting.ended",
        actorId: by.kind === "user" ? by.id : null,
        resources: { meeting: m.id },
        payload: { id: m.id },
        topics: [meetingTopic(m.id), lobbyTopic(m.id), ...inside.map((a) => attendeeTopic(a.id))],
      });
      return inside;
    });
    for (const a of out) await this.gone(m.id, personOf(a));
  }

  private async move(
    tx: Tx,
    meetingId: string,
    attendeeId: string,
    from: AttendeeState[],
    to: AttendeeState,
    by: Viewer,
  ): Promise<MeetingAttendeesTable | undefined> {
    const now = new Date().toISOString();
    const r = await tx
      .updateTable("meetings_attendees")
      .set({ state: to, decided_at: now, decided_by: by.id })
      .where("id", "=", attendeeId)
      .where("meeting_id", "=", meetingId)
      .where("state", "in", from)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return undefined;
    return tx.selectFrom("meetings_attendees").selectAll().where("id", "=", attendeeId).executeTakeFirstOrThrow();
  }

  private async record(
    tx: Tx,
    name:
      | "meetings.attendee.knocked"
      | "meetings.attendee.admitted"
      | "meetings.attendee.denied"
      | "meetings.attendee.left"
      | "meetings.attendee.removed",
    a: MeetingAttendeesTable,
    by: Viewer,
    /** Whether the people inside hear of it: someone coming in, or going out after having been in. */
    inside: boolean,
  ): Promise<void> {
    // The lobby sees every step; the meeting itself only who comes in and goes out; the person their own state.
    await recordEvent(tx, {
      name,
      actorId: by.kind === "user" ? by.id : null,
      resources: { meeting: a.meeting_id, attendee: a.id },
      payload: presentAttendee(a),
      topics: [...(inside ? [meetingTopic(a.meeting_id)] : []), lobbyTopic(a.meeting_id), attendeeTopic(a.id)],
    });
  }
}
