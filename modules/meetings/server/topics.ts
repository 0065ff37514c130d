import {
  anonymous,
  AppError,
  recordEvent,
  type Actor,
  type Kernel,
  type RealtimeActor,
  type TopicDefinition,
  type TopicMessage,
} from "@ensemble/kernel";
import { uuidv7 } from "@ensemble/protocol";
import { ATTENDEE_TOPIC, LOBBY_TOPIC, MEETING_TOPIC, meetingTopic } from "../shared/schemas.ts";
import { meetingOpSchema, type MeetingOp } from "../shared/signalling.ts";
import type { Lobby } from "./lobby.ts";
import { loadMeeting, presentAttendee } from "./meetings.ts";
import { MeetingResource, type MeetingAction, type MeetingRecord } from "./resources.ts";
import type { MeetingsDb } from "./tables.ts";
import "./events.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The policy judges the record (which carries the viewer); visitors have no account, so they ask as anonymous. */
const asActor = (a: RealtimeActor): Actor => (a.kind === "user" ? a : anonymous);

/** What a meeting's media side answers to the signalling operations (the SFU). */
export interface MeetingMedia {
  handle(
    m: MeetingRecord,
    op: Extract<MeetingOp, { op: `media.${string}` }>,
    from: { connectionId: string; personId: string; attendeeId: string },
  ): Promise<Record<string, unknown>>;
  /** A connection closed: what it published or received stops. */
  disconnected(connectionId: string): Promise<void>;
  /** A person left the meeting by any path (left, removed, ended): their media stops. */
  gone(meetingId: string, personId: string): Promise<void>;
}

/** Which action of the policy each operation needs; `leave` needs only to have knocked. */
const opAction: Record<MeetingOp["op"], MeetingAction | null> = {
  leave: null,
  participants: "participate",
  chat: "participate",
  notes: "participate",
  "media.join": "participate",
  "media.publish": "participate",
  "media.subscribe": "participate",
  "media.answer": "participate",
  "media.leave": "participate",
  "media.mute": "participate",
  admit: "admit",
  deny: "admit",
  admitAll: "admit",
  remove: "moderate",
  lock: "lock",
  end: "end",
};

/**
 * The meeting's realtime side on /ws. `meeting:<id>`: admitted people only,
 * for both subscribing and sending — a person in the lobby gets `forbidden`
 * for every operation but `leave`. `meeting-lobby:<id>`: who may admit.
 * `meeting-attendee:<id>`: the person who knocked, to learn the decision.
 */
export function meetingTopics(k: Kernel, db: MeetingsDb, lobby: Lobby, media: MeetingMedia): TopicDefinition[] {
  const meetingOf = async (actor: RealtimeActor, topic: string, prefix: string) => {
    const id = topic.slice(prefix.length);
    return UUID.test(id) ? loadMeeting(db, { id }, actor) : undefined;
  };
  const allowed = async (actor: RealtimeActor, topic: string, prefix: string, action: MeetingAction) => {
    const m = await meetingOf(actor, topic, prefix);
    return !!m && (await k.policy.can(asActor(actor), MeetingResource, action, m));
  };
  const ownAttendance = async (actor: RealtimeActor, topic: string) => {
    const id = topic.slice(ATTENDEE_TOPIC.length);
    if (!UUID.test(id)) return false;
    const a = await db
      .selectFrom("meetings_attendees")
      .select(["user_id", "visitor_id"])
      .where("id", "=", id)
      .executeTakeFirst();
    return !!a && (actor.kind === "visitor" ? a.visitor_id === actor.id : a.user_id === actor.id);
  };

  const onMessage = async ({ actor, connectionId, topic, body }: TopicMessage) => {
    const parsed = meetingOpSchema.safeParse(body);
    if (!parsed.success) throw new AppError("validation", "unknown meeting operation");
    const op = parsed.data;
    const m = await meetingOf(actor, topic, MEETING_TOPIC);
    if (!m || !(await k.policy.can(asActor(actor), MeetingResource, "read", m)))
      throw new AppError("not_found", "meeting not found");
    const action = opAction[op.op];
    if (action && !(await k.policy.can(asActor(actor), MeetingResource, action, m)))
      throw new AppError("forbidden", `you may not ${op.op} in this meeting`);
    return perform(m, op, actor, connectionId);
  };

  const perform = async (
    m: MeetingRecord,
    op: MeetingOp,
    actor: RealtimeActor,
    connectionId: string,
  ): Promise<Record<string, unknown>> => {
    switch (op.op) {
      case "leave":
        await lobby.leave(m, actor);
        return {};
      case "participants": {
        const rows = await db
          .selectFrom("meetings_attendees")
          .selectAll()
          .where("meeting_id", "=", m.id)
          .where("state", "=", "admitted")
          .orderBy("knocked_at")
          .execute();
        return { participants: rows.map(presentAttendee) };
      }
      case "chat": {
        const me = m.viewerAttendee!;
        const message = { id: uuidv7(), attendeeId: me.id, name: me.name, text: op.text, at: new Date().toISOString() };
        await db.transaction().execute((tx) =>
          recordEvent(tx, {
            name: "meetings.chat.posted",
            actorId: actor.kind === "user" ? actor.id : null,
            resources: { meeting: m.id, attendee: me.id },
            payload: message,
            topics: [meetingTopic(m.id)],
          }),
        );
        return { id: message.id };
      }
      case "notes":
        // The meeting's notes pad is the co-editing service's ephemeral document; it comes with it.
        throw new AppError("unavailable", "the notes pad is coming with Partageons");
      case "admit":
      case "deny":
        return { attendee: presentAttendee(await lobby.decide(m, op.attendeeId, op.op === "admit", actor)) };
      case "admitAll":
        return { admitted: (await lobby.admitAll(m, actor)).map(presentAttendee) };
      case "remove":
        await lobby.remove(m, op.attendeeId, actor);
        return {};
      case "lock":
        await lobby.lock(m, op.locked, actor);
        return {};
      case "end":
        await lobby.end(m, actor);
        return {};
      default: {
        const me = m.viewerAttendee!;
        return media.handle(m, op, { connectionId, personId: actor.id, attendeeId: me.id });
      }
    }
  };

  const meeting = (actor: RealtimeActor, topic: string) => allowed(actor, topic, MEETING_TOPIC, "participate");
  const lobbyFeed = (actor: RealtimeActor, topic: string) => allowed(actor, topic, LOBBY_TOPIC, "admit");
  return [
    {
      prefix: MEETING_TOPIC,
      authorizeTopic: meeting,
      // Replayed only what happened since they were let in: never what was said before.
      catchUpFrom: async (actor, topic) => {
        const m = await meetingOf(actor, topic, MEETING_TOPIC);
        const a = m?.viewerAttendee;
        return a?.decided_at ?? a?.knocked_at ?? new Date().toISOString();
      },
      authorizeVisitor: meeting,
      onMessage,
      onDisconnect: (connectionId) => media.disconnected(connectionId),
    },
    { prefix: LOBBY_TOPIC, authorizeTopic: lobbyFeed, authorizeVisitor: lobbyFeed },
    { prefix: ATTENDEE_TOPIC, authorizeTopic: ownAttendance, authorizeVisitor: ownAttendance },
  ];
}
