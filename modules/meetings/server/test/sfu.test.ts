import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";
import type { AttendeeDto, MeetingDto } from "../../shared/schemas.ts";
import { meetingsSfu } from "../module.ts";
import { RawSocket } from "./raw-socket.ts";
import { WeriftParticipant, weriftOffer } from "./werift-client.ts";

/**
 * The SFU with real WebRTC peers on both sides (werift as the clients too):
 * admitted people publish and receive each other's RTP over DTLS-SRTP; a
 * person in the lobby cannot publish; a description without DTLS is refused.
 */
let s: TestServer;
let organiser: TestClient;
let member: TestClient;

beforeAll(async () => {
  // Loopback candidates: the test's peers are on this machine, whatever its interfaces.
  s = await startTestServer({ env: { WS_MESSAGES_PER_SEC: "500", MEDIA_ANNOUNCED_IP: "127.0.0.1" } });
  organiser = (await s.signedIn()).client;
  member = (await s.signedIn()).client;
});
afterAll(async () => s?.close());

type Joined = { meeting: { id: string }; attendee: AttendeeDto; visitorPass: string | null };

const meeting = async () => {
  const r = await organiser.post<MeetingDto>("/api/meetings", { kind: "instant", title: "Point média" });
  expect(r.status, r.text).toBe(201);
  return r.body;
};

describe("meetings: the SFU", () => {
  it("forwards each admitted participant's audio and video to the other", async () => {
    const m = await meeting();
    const topic = `meeting:${m.id}`;
    const a = (await organiser.post<Joined>("/api/meetings/join", { code: m.code })).body.attendee;
    const b = (await member.post<Joined>("/api/meetings/join", { code: m.code })).body.attendee;
    const sockA = await RawSocket.open(s.url, { client: organiser });
    const sockB = await RawSocket.open(s.url, { client: member });
    expect(await sockA.send(topic, { op: "media.join" })).toMatchObject({ ok: true, body: { publishers: [] } });
    expect(await sockB.send(topic, { op: "media.join" })).toMatchObject({ ok: true });
    const alice = new WeriftParticipant(sockA, topic, "alice");
    const bob = new WeriftParticipant(sockB, topic, "bob");

    await alice.publish();
    // Bob, already in the media, is told Alice publishes.
    await sockB.next((f) => f.type === "message" && f.body?.publisherId === a.id, "Alice's publication");
    await bob.publish();
    await sockA.next((f) => f.type === "message" && f.body?.publisherId === b.id, "Bob's publication");
    // Someone joining later learns who publishes from media.join.
    const late = await sockB.send(topic, { op: "media.join" });
    expect(late.body?.publishers).toEqual([a.id]);

    await alice.subscribe(b.id);
    await bob.subscribe(a.id);
    const gets = (p: WeriftParticipant, from: string, label: string) => {
      const r = p.received.get(from);
      return (
        !!r &&
        r.audio.some((x) => x.startsWith(`${label}:audio:`)) &&
        r.video.some((x) => x.startsWith(`${label}:video:`))
      );
    };
    await waitFor(
      () => {
        alice.tick();
        bob.tick();
        return gets(alice, b.id, "bob") && gets(bob, a.id, "alice");
      },
      "each one's audio and video at the other",
      20_000,
    );
    // Nobody receives their own media back, nor anything but the one publisher per subscription.
    expect(alice.received.has(a.id)).toBe(false);
    expect([...bob.received.get(a.id)!.video].every((x) => x.startsWith("alice:video:"))).toBe(true);

    // Alice leaves the media: Bob is told and his subscription to her ends.
    expect(await sockA.send(topic, { op: "media.leave" })).toMatchObject({ ok: true });
    await sockB.next((f) => f.body?.media === "unpublished" && f.body.publisherId === a.id, "Alice gone");
    expect(await sockB.send(topic, { op: "media.subscribe", publisherId: a.id })).toMatchObject({
      ok: false,
      code: "not_found",
    });
    await alice.close();
    await bob.close();
    sockA.close();
    sockB.close();
  });

  it("stops forwarding a muted kind, tells the others, and resumes on unmute", async () => {
    const m = await meeting();
    const topic = `meeting:${m.id}`;
    const a = (await organiser.post<Joined>("/api/meetings/join", { code: m.code })).body.attendee;
    await member.post<Joined>("/api/meetings/join", { code: m.code });
    const sockA = await RawSocket.open(s.url, { client: organiser });
    const sockB = await RawSocket.open(s.url, { client: member });
    await sockA.send(topic, { op: "media.join" });
    await sockB.send(topic, { op: "media.join" });
    const alice = new WeriftParticipant(sockA, topic, "alice");
    const bob = new WeriftParticipant(sockB, topic, "bob");
    // Alice joins with her camera off: the others learn it with her publication.
    await alice.publish(["video"]);
    await sockB.next((f) => f.body?.media === "muted" && f.body.publisherId === a.id, "Alice's camera off");
    expect(sockB.frames.find((f) => f.body?.media === "muted")?.body).toMatchObject({ audio: false, video: true });
    await bob.subscribe(a.id);
    const got = () => bob.received.get(a.id)!;
    const sfu = meetingsSfu(s.kernel);
    // Alice's client keeps sending both kinds (as a hostile one would): only her sound reaches Bob.
    await waitFor(
      () => {
        alice.tick();
        return got().audio.length > 20 && sfu.received(m.id, a.id)!.video > 20;
      },
      "Alice's sound at Bob",
      20_000,
    );
    expect(got().video).toEqual([]);

    // Her camera on: pictures flow; her microphone off: Bob is told, and her sound stops while pictures go on.
    expect(await sockA.send(topic, { op: "media.mute", kind: "video", muted: false })).toMatchObject({ ok: true });
    expect(await sockA.send(topic, { op: "media.mute", kind: "audio", muted: true })).toMatchObject({
      ok: true,
      body: { muted: ["audio"] },
    });
    await sockB.next(
      (f) => f.body?.media === "muted" && f.body.audio === true && f.body.video === false,
      "Alice's microphone off",
    );
    // Packets forwarded before the mute may still be on their way: the count is taken once pictures sent after it arrived.
    const pictures = got().video.length;
    await waitFor(() => (alice.tick(), got().video.length > pictures + 5), "pictures after the mute", 20_000);
    const heard = got().audio.length;
    const sent = sfu.received(m.id, a.id)!.audio;
    await waitFor(() => (alice.tick(), got().video.length > pictures + 50), "more pictures", 20_000);
    expect(got().audio.length).toBe(heard);
    expect(sfu.received(m.id, a.id)!.audio).toBeGreaterThan(sent + 40);

    // A participant joining the media now learns who is muted.
    const late = await sockB.send(topic, { op: "media.join" });
    expect(late.body?.muted).toEqual({ [a.id]: ["audio"] });
    expect(await sockA.send(topic, { op: "media.mute", kind: "audio", muted: false })).toMatchObject({ ok: true });
    await waitFor(() => (alice.tick(), got().audio.length > heard + 10), "Alice's sound again", 20_000);
    // Someone who publishes nothing has nothing to mute.
    expect(await sockB.send(topic, { op: "media.mute", kind: "audio", muted: true })).toMatchObject({
      ok: false,
      code: "not_found",
    });
    await alice.close();
    await bob.close();
    sockA.close();
    sockB.close();
  });

  it("refuses a waiting guest's offer and any description without DTLS-SRTP", async () => {
    const m = await meeting();
    const topic = `meeting:${m.id}`;
    await organiser.post("/api/meetings/join", { code: m.code });
    const guest = await s.client().post<Joined>("/api/meetings/join", { code: m.code, name: "Sacha" });
    expect(guest.body.attendee.state).toBe("waiting");
    const guestSock = await RawSocket.open(s.url, { visitorPass: guest.body.visitorPass! });
    const offer = await weriftOffer();
    // A real, encrypted offer: still refused while they wait.
    expect(await guestSock.send(topic, { op: "media.publish", sdp: offer.sdp })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(await guestSock.send(topic, { op: "media.join" })).toMatchObject({ ok: false, code: "forbidden" });

    const sock = await RawSocket.open(s.url, { client: organiser });
    // Plain RTP (RTP/AVP, no fingerprint) and an SRTP profile without a fingerprint to check DTLS against.
    const plain = offer.sdp.replace(/UDP\/TLS\/RTP\/SAVPF/g, "RTP/AVP").replace(/^a=fingerprint:.*\r\n/gm, "");
    const unchecked = offer.sdp.replace(/^a=fingerprint:.*\r\n/gm, "");
    for (const sdp of [plain, unchecked])
      expect(await sock.send(topic, { op: "media.publish", sdp })).toMatchObject({
        ok: false,
        code: "meeting_media_unencrypted",
      });
    // The same offer, encrypted, is answered with DTLS on our side too.
    const answered = await sock.send(topic, { op: "media.publish", sdp: offer.sdp });
    expect(answered.ok).toBe(true);
    expect(String(answered.body?.sdp)).toMatch(/^a=fingerprint:sha-256 /m);
    expect(String(answered.body?.sdp)).toMatch(/^a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 \d+ typ host/m);
    await offer.pc.close();
    sock.close();
    guestSock.close();
  });
});
