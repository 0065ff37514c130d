import {
  MediaStreamTrack,
  RTCPeerConnection,
  RtpHeader,
  RtpPacket,
  type PeerConfig,
  type RTCRtpCodecParameters,
} from "werift";
import { gathered, sfuCodecs } from "../sfu-peer.ts";
import type { Frame, RawSocket } from "./raw-socket.ts";

/** What a participant's peers are given as the join answer gives a browser: TURN servers, relay only or not. */
export type ClientIce = Partial<Pick<PeerConfig, "iceServers" | "iceTransportPolicy">>;

/** A client peer on the same machine: loopback is where the test server announces its candidates. */
const clientPeer = (ice: ClientIce = {}) =>
  new RTCPeerConnection({ codecs: sfuCodecs, iceUseIpv6: false, iceAdditionalHostAddresses: ["127.0.0.1"], ...ice });

const ok = (reply: Frame, what: string) => {
  if (!reply.ok) throw new Error(`${what} refused: ${reply.code ?? "?"}`);
  return reply.body as { peerId: string; sdp: string };
};

/**
 * A participant's media side driven the way the web page does it, with werift
 * standing in for the browser: it publishes synthetic audio and video whose
 * payloads name their sender, and records every payload it receives.
 */
export class WeriftParticipant {
  /** Payloads received, by publisher attendee id and kind. */
  readonly received = new Map<string, { audio: string[]; video: string[] }>();
  private readonly peers: RTCPeerConnection[] = [];
  private readonly tracks: MediaStreamTrack[] = [];
  private seq = 0;

  private readonly sock: RawSocket;
  private readonly topic: string;
  readonly label: string;
  private readonly ice: ClientIce;

  constructor(sock: RawSocket, topic: string, label: string, ice: ClientIce = {}) {
    this.sock = sock;
    this.topic = topic;
    this.label = label;
    this.ice = ice;
  }

  /** The candidates this participant's peers announced so far, by type (`host`, `relay`…). */
  candidateTypes(): string[] {
    return this.peers.flatMap((pc) =>
      [...(pc.localDescription?.sdp ?? "").matchAll(/^a=candidate:.* typ (\w+)/gm)].map((m) => m[1]!),
    );
  }

  /** Offers audio and video to the server; resolves with the server's answer applied. */
  async publish(muted: ("audio" | "video")[] = []): Promise<void> {
    const pc = clientPeer(this.ice);
    this.peers.push(pc);
    for (const kind of ["audio", "video"] as const) {
      const track = new MediaStreamTrack({ kind });
      this.tracks.push(track);
      pc.addTransceiver(track, { direction: "sendonly" });
    }
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    const answer = ok(
      await this.sock.send(this.topic, { op: "media.publish", sdp: pc.localDescription!.sdp, muted }),
      "publish",
    );
    await pc.setRemoteDescription({ type: "answer", sdp: answer.sdp });
  }

  /**
   * Sends one packet per track, each payload naming its sender and kind. The
   * test calls it while waiting for a condition: a media source's clock is
   * the test's own polling, not a timer of its own.
   */
  tick(): void {
    this.seq = (this.seq + 1) & 0xffff;
    for (const t of this.tracks) {
      const codec = (t as { codec?: RTCRtpCodecParameters }).codec;
      const header = new RtpHeader({
        payloadType: codec?.payloadType ?? 96,
        sequenceNumber: this.seq,
        timestamp: this.seq * 3000,
        marker: true,
      });
      t.writeRtp(new RtpPacket(header, Buffer.from(`${this.label}:${t.kind}:${this.seq}`)));
    }
  }

  /** Asks the server for a publisher's media and answers its offer. */
  async subscribe(publisherId: string): Promise<void> {
    const offer = ok(await this.sock.send(this.topic, { op: "media.subscribe", publisherId }), "subscribe");
    const pc = clientPeer(this.ice);
    this.peers.push(pc);
    const got = { audio: [] as string[], video: [] as string[] };
    this.received.set(publisherId, got);
    pc.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp) => got[track.kind as "audio" | "video"].push(rtp.payload.toString()));
    });
    await pc.setRemoteDescription({ type: "offer", sdp: offer.sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    const reply = await this.sock.send(this.topic, {
      op: "media.answer",
      peerId: offer.peerId,
      sdp: pc.localDescription!.sdp,
    });
    if (!reply.ok) throw new Error(`answer refused: ${reply.code ?? "?"}`);
  }

  async close(): Promise<void> {
    for (const pc of this.peers) await pc.close();
  }
}

/** A DTLS-protected offer from a fresh werift peer (what the refusal tests send instead of a browser's). */
export async function weriftOffer(): Promise<{ pc: RTCPeerConnection; sdp: string }> {
  const pc = clientPeer();
  pc.addTransceiver("audio", { direction: "sendonly" });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  return { pc, sdp: pc.localDescription!.sdp };
}
