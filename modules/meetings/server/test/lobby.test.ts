import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import { meetingOps, type MeetingOp } from "../../shared/signalling.ts";
import type { AttendeeDto, MeetingDto } from "../../shared/schemas.ts";
import { RawSocket } from "./raw-socket.ts";

/**
 * The lobby, enforced by the server. A person waiting, denied or gone drives
 * the raw WebSocket and tries every meeting operation: refusals only, and
 * nothing of the meeting reaches them. Once admitted, the same operations work.
 */
let s: TestServer;
let organiser: TestClient;
let member: TestClient;
const TURN_SECRET = "a-shared-turn-secret-for-tests";

beforeAll(async () => {
  s = await startTestServer({
    env: { WS_MESSAGES_PER_SEC: "500", TURN_URLS: "turn:127.0.0.1:3478?transport=udp", TURN_SECRET },
  });
  organiser = (await s.signedIn()).client;
  member = (await s.signedIn()).client;
});
afterAll(async () => s?.close());

const create = async (body: Record<string, unknown> = {}) => {
  const r = await organiser.post<MeetingDto>("/api/meetings", { kind: "instant", title: "Point d'équipe", ...body });
  expect(r.status, r.text).toBe(201);
  return r.body;
};

type Joined = { meeting: { id: string }; attendee: AttendeeDto; visitorPass: string | null };
const knockAnonymously = async (code: string, name: string, password?: string) => {
  const r = await s.client().post<Joined>("/api/meetings/join", { code, name, ...(password ? { password } : {}) });
  return r;
};

/** A plausible body for each operation: refused for its sender's state, never for its shape. */
function sample(op: MeetingOp["op"], attendeeId: string): Record<string, unknown> {
  switch (op) {
    case "chat":
      return { op, text: "bonjour" };
    case "media.publish":
      return { op, sdp: "v=0" };
    case "media.subscribe":
      return { op, publisherId: attendeeId };
    case "media.answer":
      return { op, peerId: attendeeId, sdp: "v=0" };
    case "admit":
    case "deny":
    case "remove":
      return { op, attendeeId };
    case "lock":
      return { op, locked: true };
    case "media.mute":
      return { op, kind: "audio", muted: true };
    default:
      return { op };
  }
}

/** Everything but `leave`: what a person outside the meeting must be refused. */
const insideOps = meetingOps.filter((o) => o !== "leave");

async function expectShutOut(sock: RawSocket, meetingId: string, attendeeId: string) {
  const topic = `meeting:${meetingId}`;
  expect(await sock.subscribe(topic)).toMatchObject({ type: "refused", reason: "forbidden" });
  expect(await sock.subscribe(`meeting-lobby:${meetingId}`)).toMatchObject({ type: "refused", reason: "forbidden" });
  for (const op of insideOps) {
    const reply = await sock.send(topic, sample(op, attendeeId));
    expect(reply, op).toMatchObject({ ok: false, code: "forbidden" });
    expect(reply.body, op).toBeUndefined();
  }
}

/** Nothing of the meeting: no event but the person's own state, no pushed message, no successful reply. */
function receivedNothingOfTheMeeting(sock: RawSocket, attendeeId: string) {
  const leaks = sock.frames.filter(
    (f) =>
      f.type === "message" ||
      (f.type === "reply" && f.ok) ||
      (f.type === "event" && f.topic !== `meeting-attendee:${attendeeId}`),
  );
  expect(leaks).toEqual([]);
}

describe("meetings: the lobby", () => {
  it("keeps an anonymous guest out of everything until admitted, then lets them in", async () => {
    const m = await create();
    expect(m.code).toMatch(/^[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    expect(m.link).toBe(`${s.config.publicUrl}/meetings/${m.code}`);
    expect(m.viewer.capabilities).toContain("admit");

    // The organiser and a member enter directly (by code, in any case and spacing).
    const org = await organiser.post<Joined>("/api/meetings/join", { code: m.code });
    expect(org.body.attendee.state).toBe("admitted");
    const mem = await member.post<Joined>("/api/meetings/join", { code: m.code.toUpperCase().replaceAll("-", " ") });
    expect(mem.status, mem.text).toBe(200);
    expect(mem.body.attendee).toMatchObject({ state: "admitted", role: "participant" });
    expect(mem.body.visitorPass).toBeNull();
    const memberSock = await RawSocket.open(s.url, { client: member });
    expect(await memberSock.subscribe(`meeting:${m.id}`)).toMatchObject({ type: "subscribed" });
    expect(await memberSock.subscribe(`meeting-lobby:${m.id}`)).toMatchObject({ type: "refused" });
    const orgSock = await RawSocket.open(s.url, { client: organiser });
    expect(await orgSock.subscribe(`meeting-lobby:${m.id}`)).toMatchObject({ type: "subscribed" });

    // Someone without an account comes by the link: they wait, with their name and a visitor pass.
    expect((await knockAnonymously(m.code, "")).status).toBe(400);
    const guest = await knockAnonymously(m.code, "Camille Invitée");
    expect(guest.status, guest.text).toBe(200);
    expect(guest.body.attendee).toMatchObject({ state: "waiting", role: "anonymous", name: "Camille Invitée" });
    const pass = guest.body.visitorPass!;
    const aid = guest.body.attendee.id;
    const knock = await orgSock.next((f) => f.event?.name === "meetings.attendee.knocked", "the knock");
    expect(knock.event?.payload).toMatchObject({ id: aid, name: "Camille Invitée" });
    expect(memberSock.events("meetings.attendee.knocked")).toEqual([]);

    const sock = await RawSocket.open(s.url, { visitorPass: pass });
    expect(await sock.subscribe(`meeting-attendee:${aid}`)).toMatchObject({ type: "subscribed" });
    // Nor may a visitor reach anything else of the platform.
    expect(await sock.subscribe(`user:${guest.body.attendee.id}`)).toMatchObject({ type: "refused" });
    await expectShutOut(sock, m.id, aid);
    // The member chats meanwhile: the waiting guest receives none of it.
    expect(await memberSock.send(`meeting:${m.id}`, { op: "chat", text: "on commence ?" })).toMatchObject({ ok: true });
    await memberSock.next((f) => f.event?.name === "meetings.chat.posted", "the member's own chat event");
    // Moderator actions over HTTP: a visitor holds no account.
    expect((await s.client().post(`/api/meetings/${m.id}/attendees/${aid}/admit`, {})).status).toBe(401);
    expect((await member.post(`/api/meetings/${m.id}/attendees/${aid}/admit`, {})).status).toBe(403);
    expect((await member.get(`/api/meetings/${m.id}/lobby`)).status).toBe(403);
    receivedNothingOfTheMeeting(sock, aid);

    // The organiser sees them waiting and admits them: they are told, and everything works.
    const lobby = await organiser.get<{ waiting: AttendeeDto[] }>(`/api/meetings/${m.id}/lobby`);
    expect(lobby.body.waiting.map((w) => w.id)).toEqual([aid]);
    expect((await organiser.post(`/api/meetings/${m.id}/attendees/${aid}/admit`, {})).status).toBe(200);
    await sock.next((f) => f.event?.name === "meetings.attendee.admitted", "the admission");
    // Subscribed from the start of the log, they are still replayed nothing said before they came in.
    // (a visitor is replayed nothing at all: asked for old events, the gateway answers "refetch").
    expect(["subscribed", "resync-required"]).toContain((await sock.subscribe(`meeting:${m.id}`, 0)).type);
    expect(sock.events("meetings.chat.posted")).toEqual([]);
    const list = await sock.send(`meeting:${m.id}`, { op: "participants" });
    expect(list.ok).toBe(true);
    expect((list.body?.participants as AttendeeDto[]).map((p) => p.name).sort()).toHaveLength(3);
    expect(await sock.send(`meeting:${m.id}`, { op: "chat", text: "merci !" })).toMatchObject({ ok: true });
    await memberSock.next((f) => f.event?.payload?.text === "merci !", "the guest's chat at the member");
    const media = await sock.send(`meeting:${m.id}`, { op: "media.join" });
    expect(media.ok).toBe(true);
    // Notes are for admitted people too; the pad itself comes with the co-editing service.
    expect(await sock.send(`meeting:${m.id}`, { op: "notes" })).toMatchObject({ ok: false, code: "unavailable" });
    // Still no moderation for a guest.
    expect(await sock.send(`meeting:${m.id}`, sample("end", aid))).toMatchObject({ ok: false, code: "forbidden" });

    // Removed: the live feed is revoked and every operation refused again.
    expect((await organiser.post(`/api/meetings/${m.id}/attendees/${aid}/remove`, {})).status).toBe(204);
    await sock.take((f) => f.type === "refused" && f.reason === "revoked", "the revocation");
    // They are told on their own feed, and from then on receive nothing of the meeting.
    await sock.next(
      (f) => f.event?.name === "meetings.attendee.removed" && f.topic === `meeting-attendee:${aid}`,
      "told",
    );
    const after = sock.frames.length;
    await expectShutOut(sock, m.id, aid);
    expect(sock.frames.slice(after).filter((f) => f.type === "event" || f.type === "message")).toEqual([]);
    for (const x of [sock, memberSock, orgSock]) x.close();
  });

  it("tells a denied guest so, and they never receive anything of the meeting", async () => {
    const m = await create();
    await member.post("/api/meetings/join", { code: m.code });
    const memberSock = await RawSocket.open(s.url, { client: member });
    await memberSock.subscribe(`meeting:${m.id}`);
    const guest = await knockAnonymously(m.code, "Dominique");
    const aid = guest.body.attendee.id;
    const sock = await RawSocket.open(s.url, { visitorPass: guest.body.visitorPass! });
    await sock.subscribe(`meeting-attendee:${aid}`);
    expect((await organiser.post(`/api/meetings/${m.id}/attendees/${aid}/deny`, {})).status).toBe(200);
    const denied = await sock.next((f) => f.event?.name === "meetings.attendee.denied", "the denial");
    expect(denied.event?.payload).toMatchObject({ state: "denied" });
    // Deciding twice is a conflict, not a second decision.
    expect((await organiser.post(`/api/meetings/${m.id}/attendees/${aid}/admit`, {})).status).toBe(409);
    await expectShutOut(sock, m.id, aid);
    await memberSock.send(`meeting:${m.id}`, { op: "chat", text: "après le refus" });
    await memberSock.next((f) => f.event?.payload?.text === "après le refus", "the chat");
    receivedNothingOfTheMeeting(sock, aid);
    expect(await sock.send(`meeting:${m.id}`, { op: "leave" })).toMatchObject({ ok: true, body: {} });
    // A pass is for its meeting only.
    const other = await create();
    const sock2 = await RawSocket.open(s.url, { visitorPass: guest.body.visitorPass! });
    expect(await sock2.send(`meeting:${other.id}`, { op: "leave" })).toMatchObject({ ok: false, code: "not_found" });
    for (const x of [sock, sock2, memberSock]) x.close();
  });

  it("lets a waiting person leave, and admits everyone at once", async () => {
    const m = await create();
    const a = await knockAnonymously(m.code, "Alix");
    const b = await knockAnonymously(m.code, "Bao");
    const sockA = await RawSocket.open(s.url, { visitorPass: a.body.visitorPass! });
    expect(await sockA.send(`meeting:${m.id}`, { op: "leave" })).toMatchObject({ ok: true });
    const all = await organiser.post<{ admitted: AttendeeDto[] }>(`/api/meetings/${m.id}/admit-all`, {});
    expect(all.body.admitted.map((x) => x.name)).toEqual(["Bao"]);
    const sockB = await RawSocket.open(s.url, { visitorPass: b.body.visitorPass! });
    expect(await sockB.subscribe(`meeting:${m.id}`)).toMatchObject({ type: "subscribed" });
    expect(await sockA.subscribe(`meeting:${m.id}`)).toMatchObject({ type: "refused" });
    sockA.close();
    sockB.close();
  });

  it("puts members in the lobby when the organiser asks, and honours lock, password and end", async () => {
    const m = await create({ lobbyForEveryone: true, password: "sesame-42" });
    expect(m.hasPassword).toBe(true);
    // The organiser needs no password and enters directly.
    expect((await organiser.post<Joined>("/api/meetings/join", { code: m.code })).body.attendee.state).toBe("admitted");
    expect((await member.post("/api/meetings/join", { code: m.code })).body).toMatchObject({
      code: "meeting_password_required",
    });
    expect((await member.post("/api/meetings/join", { code: m.code, password: "wrong-one" })).body).toMatchObject({
      code: "meeting_password_invalid",
    });
    const mem = await member.post<Joined>("/api/meetings/join", { code: m.code, password: "sesame-42" });
    expect(mem.body.attendee).toMatchObject({ state: "waiting", role: "participant" });
    expect((await knockAnonymously(m.code, "Sans mot de passe")).body).toMatchObject({
      code: "meeting_password_required",
    });

    expect((await organiser.post(`/api/meetings/${m.id}/lock`, { locked: true })).status).toBe(204);
    expect((await knockAnonymously(m.code, "Trop tard", "sesame-42")).body).toMatchObject({ code: "meeting_locked" });
    expect((await member.post(`/api/meetings/${m.id}/end`, {})).status).toBe(403);

    const sock = await RawSocket.open(s.url, { client: member });
    await sock.subscribe(`meeting-attendee:${mem.body.attendee.id}`);
    expect((await organiser.post(`/api/meetings/${m.id}/end`, {})).status).toBe(204);
    await sock.next((f) => f.event?.name === "meetings.meeting.ended", "the end, told to who was waiting");
    expect((await organiser.post("/api/meetings/join", { code: m.code })).body).toMatchObject({
      code: "meeting_ended",
    });
    sock.close();
  });

  it("refuses a forged, expired or misplaced visitor pass", async () => {
    const m = await create();
    const guest = await knockAnonymously(m.code, "Eden");
    const pass = guest.body.visitorPass!;
    const forged = `${pass.split(".")[0]}.${"A".repeat(43)}`;
    expect(await RawSocket.connect(s.url, { visitorPass: forged }).closed()).toBe(4001);
    const expired = await s.kernel.visitors.issue({ audience: `meetings:${m.id}`, name: "Eden", ttlSeconds: 0 });
    expect(await s.kernel.visitors.verify(expired.token)).toBeNull();
    expect(await RawSocket.connect(s.url, { visitorPass: expired.token }).closed()).toBe(4001);
    // Over HTTP a visitor pass is no credential at all.
    const http = await s.client().get(`/api/meetings/${m.id}`, { headers: { authorization: `Bearer ${pass}` } });
    expect(http.status).toBe(401);
  });

  it("guards passwords with a rate limit", async () => {
    const m = await create({ password: "sesame-43" });
    const guesser = s.client();
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++)
      statuses.push(
        (await guesser.post("/api/meetings/join", { code: m.code, name: "X", password: `g${i}xx` })).status,
      );
    expect(statuses).toContain(429);
    expect(statuses.filter((x) => x === 403).length).toBeLessThanOrEqual(20);
  });

  it("hands admitted people time-limited TURN credentials in the TURN REST scheme", async () => {
    const m = await create();
    const org = await organiser.post<Joined>("/api/meetings/join", { code: m.code });
    const sock = await RawSocket.open(s.url, { client: organiser });
    const before = Math.floor(Date.now() / 1000);
    const r = await sock.send(`meeting:${m.id}`, { op: "media.join" });
    expect(r.ok).toBe(true);
    const [server] = r.body?.iceServers as { urls: string[]; username: string; credential: string }[];
    expect(server!.urls).toEqual(["turn:127.0.0.1:3478?transport=udp"]);
    const [expiry, person] = server!.username.split(":");
    expect(person).toBe(org.body.attendee.userId);
    expect(Number(expiry)).toBeGreaterThanOrEqual(before + 3600);
    expect(Number(expiry)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 3600);
    expect(server!.credential).toBe(createHmac("sha1", TURN_SECRET).update(server!.username).digest("base64"));
    sock.close();
  });
});
