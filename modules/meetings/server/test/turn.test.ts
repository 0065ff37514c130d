import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@ensemble/kernel";
import { startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";
import { startCoturn, type TestCoturn } from "@ensemble/testkit/coturn";
import type { MeetingDto } from "../../shared/schemas.ts";
import { turnCredentials } from "../turn-credentials.ts";
import { RawSocket } from "./raw-socket.ts";
import { turnAllocate } from "./turn-allocate.ts";
import { WeriftParticipant, type ClientIce } from "./werift-client.ts";

/**
 * The TURN credentials the server hands out, against Debian's coturn started
 * here on loopback with the server's shared secret: those of the join answer
 * open an allocation; the same scheme with an expiry in the past, or signed
 * with another secret, is refused; and media between two participants who
 * may use nothing but the relay reaches the SFU and each other.
 */
let coturn: TestCoturn;
let s: TestServer;
let organiser: TestClient;
let member: TestClient;

beforeAll(async () => {
  coturn = await startCoturn();
  s = await startTestServer({
    env: {
      // The SFU's candidates on loopback, where coturn relays to (it is told to allow loopback peers).
      MEDIA_ANNOUNCED_IP: "127.0.0.1",
      WS_MESSAGES_PER_SEC: "500",
      TURN_URLS: coturn.url,
      TURN_SECRET: coturn.secret,
      TURN_POLICY: "relay",
    },
  });
  organiser = (await s.signedIn()).client;
  member = (await s.signedIn()).client;
});
afterAll(async () => {
  await s?.close();
  await coturn?.stop();
});

type IceServer = { urls: string[]; username: string; credential: string };

/** Joins a new meeting's media as the organiser; returns the join answer. */
async function mediaJoin() {
  const m = await organiser.post<MeetingDto>("/api/meetings", { kind: "instant", title: "Point relais" });
  expect(m.status, m.text).toBe(201);
  const joined = await organiser.post<{ attendee: { userId: string } }>("/api/meetings/join", { code: m.body.code });
  expect(joined.status, joined.text).toBe(200);
  const sock = await RawSocket.open(s.url, { client: organiser });
  const r = await sock.send(`meeting:${m.body.id}`, { op: "media.join" });
  sock.close();
  expect(r.ok).toBe(true);
  return { body: r.body!, personId: joined.body.attendee.userId };
}

describe("meetings: TURN credentials against coturn", () => {
  it("opens a relay allocation with the credentials of the join answer, and says relay only", async () => {
    const { body } = await mediaJoin();
    expect(body.iceTransportPolicy).toBe("relay");
    const [server] = body.iceServers as IceServer[];
    expect(server!.urls).toEqual([coturn.url]);
    const out = await turnAllocate(coturn.port, server!.username, server!.credential);
    expect(out).toEqual({ ok: true, relayed: ["127.0.0.1", expect.any(Number) as number] });
    // coturn itself tells: this user's allocation succeeded (its log line may follow the answer).
    await expect
      .poll(() =>
        coturn.log.some((l) => l.includes(`user <${server!.username}>`) && l.includes("ALLOCATE processed, success")),
      )
      .toBe(true);
  });

  it("refuses credentials whose expiry has passed, and credentials signed with another secret", async () => {
    const { personId } = await mediaJoin();
    // The server's own function, one second past the end of a lifetime issued earlier.
    const [expired] = turnCredentials(s.config, personId, Date.now() - (s.config.TURN_TTL_SECONDS + 1) * 1000);
    expect(Number(expired!.username!.split(":")[0])).toBeLessThan(Date.now() / 1000);
    expect(await turnAllocate(coturn.port, expired!.username!, expired!.credential!)).toEqual({ ok: false, code: 401 });

    const other = loadConfig({ TURN_URLS: coturn.url, TURN_SECRET: "not-the-secret-coturn-knows" });
    const [forged] = turnCredentials(other, personId);
    expect(await turnAllocate(coturn.port, forged!.username!, forged!.credential!)).toEqual({ ok: false, code: 401 });

    // Fresh ones from the same function still work: the refusals are the expiry's and the secret's.
    const [fresh] = turnCredentials(s.config, personId);
    expect(await turnAllocate(coturn.port, fresh!.username!, fresh!.credential!)).toMatchObject({ ok: true });
  });

  it("carries two relay-only participants' media through coturn to the SFU and on to each other", async () => {
    const m = await organiser.post<MeetingDto>("/api/meetings", { kind: "instant", title: "Point relais" });
    const topic = `meeting:${m.body.id}`;
    const people = [];
    for (const [client, label] of [
      [organiser, "alice"],
      [member, "bob"],
    ] as const) {
      const joined = await client.post<{ attendee: { id: string } }>("/api/meetings/join", { code: m.body.code });
      const sock = await RawSocket.open(s.url, { client });
      const r = await sock.send(topic, { op: "media.join" });
      // What the page does with the answer: its TURN servers and its policy, given to every peer.
      const ice = { iceServers: r.body!.iceServers, iceTransportPolicy: r.body!.iceTransportPolicy } as ClientIce;
      people.push({ id: joined.body.attendee.id, sock, p: new WeriftParticipant(sock, topic, label, ice) });
    }
    const [a, b] = people as [(typeof people)[0], (typeof people)[0]];
    await a.p.publish();
    await b.p.publish();
    await a.p.subscribe(b.id);
    await b.p.subscribe(a.id);
    /** Whether `to` received video that `from` (labelled so in its payloads) published. */
    const gets = (to: typeof a, from: typeof a) =>
      !!to.p.received.get(from.id)?.video.some((v) => v.startsWith(`${from.p.label}:video:`));
    await waitFor(
      () => {
        a.p.tick();
        b.p.tick();
        return gets(a, b) && gets(b, a);
      },
      "each one's video at the other, through the relay",
      20_000,
    );
    // They offered and answered relay candidates only: every packet went through coturn.
    for (const x of [a, b]) {
      expect(x.p.candidateTypes().length).toBeGreaterThan(0);
      expect(new Set(x.p.candidateTypes())).toEqual(new Set(["relay"]));
      await x.p.close();
      x.sock.close();
    }
  });

  it("will not start with a relay-only policy and no TURN server", () => {
    expect(() => loadConfig({ TURN_POLICY: "relay" })).toThrow(/TURN_URLS: required when TURN_POLICY is relay/);
  });
});
