import { defineModule, type Kernel } from "@ensemble/kernel";
import { ATTENDEE_TOPIC, LOBBY_TOPIC, MEETING_TOPIC, meetingTopic } from "../shared/schemas.ts";
import { calendarRoutes, invitationMailer } from "./calendar-routes.ts";
import { meetingCalls } from "./create-meeting.ts";
import { meetingEvents } from "./events.ts";
import { Lobby } from "./lobby.ts";
import { lobbyRoutes } from "./lobby-routes.ts";
import { meetingRoutes } from "./meeting-routes.ts";
import { meetingsMigrations } from "./migrations.ts";
import { meetingPolicies } from "./policies.ts";
import { Sfu } from "./sfu.ts";
import { meetingsDb, type MeetingsDb } from "./tables.ts";
import { meetingTopics } from "./topics.ts";
import { meetingsProblemCodes } from "../shared/problems.ts";

interface Runtime {
  db: MeetingsDb;
  lobby: Lobby;
  media: Sfu;
}

const runtimes = new WeakMap<Kernel, Runtime>();

/** The module's parts for one kernel (a test process may run several servers). */
function runtime(k: Kernel): Runtime {
  let r = runtimes.get(k);
  if (!r) {
    const db = meetingsDb(k);
    const media = new Sfu(k);
    // Whoever leaves by any path loses the meeting's live feed on every node, and their media here.
    const lobby = new Lobby(k, db, async (meetingId, personId) => {
      await k.realtime.revoke(personId, { topic: meetingTopic(meetingId) });
      await media.gone(meetingId, personId);
    });
    r = { db, lobby, media };
    runtimes.set(k, r);
  }
  return r;
}

/** This node's SFU for a kernel (what tests and the bench read its packet counters from). */
export const meetingsSfu = (k: Kernel): Sfu => runtime(k).media;

/** Réunions: meetings with a lobby, signalling over /ws, invitations as iCalendar. */
const meetingsModule = defineModule({
  name: "meetings",
  namespace: {
    topics: [MEETING_TOPIC, LOBBY_TOPIC, ATTENDEE_TOPIC],
    names: ["meetings."],
    urls: ["/api/meetings"],
    tables: ["meetings_"],
  },
  events: Object.values(meetingEvents),
  problemCodes: meetingsProblemCodes,
  migrations: meetingsMigrations,
  policies: meetingPolicies,
  topics: (k) => {
    const r = runtime(k);
    return meetingTopics(k, r.db, r.lobby, r.media);
  },
  routes: (app, k) => {
    const r = runtime(k);
    meetingRoutes(app, k, r.db);
    lobbyRoutes(app, k, r.db, r.lobby);
    calendarRoutes(app, k, r.db);
  },
  eventHandlers: (k) => [invitationMailer(k, runtime(k).db)],
  calls: (k) => meetingCalls(k, runtime(k).db),
});

export default meetingsModule;
