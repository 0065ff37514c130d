import { AppError, type Kernel } from "@ensemble/kernel";
import { uuidv7 } from "@ensemble/protocol";
import { MediaStreamTrack, RtcpPayloadSpecificFeedback, type RTCPeerConnection } from "werift";
import { meetingTopic } from "../shared/schemas.ts";
import type { MediaKind, MeetingOp } from "../shared/signalling.ts";
import type { MeetingRecord } from "./resources.ts";
import { announced, gathered, requireDtlsSrtp, sentKinds, serverPeer } from "./sfu-peer.ts";
import type { MeetingMedia } from "./topics.ts";
import { turnCredentials } from "./turn-credentials.ts";

type MediaOp = Extract<MeetingOp, { op: `media.${string}` }>;
interface From {
  connectionId: string;
  personId: string;
  attendeeId: string;
}

interface Peer extends From {
  id: string;
  meetingId: string;
  pc: RTCPeerConnection;
  /** For a subscriber peer: whose media it receives. */
  publisherId: string | null;
}

/** What one attendee publishes: a relay track per kind, fed by their peer and read by every subscriber's. */
interface Publication {
  peer: Peer;
  relays: MediaStreamTrack[];
  /** Asks the publisher's browser for a video keyframe (a subscriber joined or lost pictures). */
  keyframe: () => void;
  /** Kinds the publisher switched off: their packets, should any still come, are not forwarded. */
  muted: Set<MediaKind>;
  /** RTP packets received from the publisher, per kind (forwarded or not). */
  received: Record<MediaKind, number>;
}

interface Room {
  publications: Map<string, Publication>;
  /** Connections that joined the media (told when someone starts or stops publishing). */
  joined: Set<string>;
}

/** A connection holds one publisher peer and one subscriber peer per publisher: past this it is abuse. */
const MAX_PEERS_PER_CONNECTION = 64;

/**
 * The selective forwarding unit, in the server process (werift). Each
 * admitted participant publishes audio and video over one peer connection
 * (their offer, our answer); for each publisher they watch, the server offers
 * a second, receive-only, peer connection (our offer, their answer) whose
 * tracks are fed from the publisher's RTP. Packets are forwarded untouched
 * but for SSRC, payload type and sequence (rewritten per outgoing stream by
 * werift's sender). Every peer is DTLS-SRTP. The lobby stays in front: the
 * topic only hands media operations from admitted people here.
 */
export class Sfu implements MeetingMedia {
  private readonly k: Kernel;
  private readonly rooms = new Map<string, Room>();
  private readonly peers = new Map<string, Peer>();
  /** werift probes a free port then binds it: two peers gathering at once could pick the same one. */
  private gathering: Promise<unknown> = Promise.resolve();

  constructor(k: Kernel) {
    this.k = k;
  }

  async handle(m: MeetingRecord, op: MediaOp, from: From): Promise<Record<string, unknown>> {
    const room = this.room(m.id);
    switch (op.op) {
      case "media.join": {
        room.joined.add(from.connectionId);
        const others = [...room.publications].filter(([id]) => id !== from.attendeeId);
        return {
          iceServers: turnCredentials(this.k.config, from.personId),
          iceTransportPolicy: this.k.config.TURN_POLICY,
          publishers: others.map(([id]) => id),
          muted: Object.fromEntries(others.map(([id, p]) => [id, [...p.muted]])),
        };
      }
      case "media.publish":
        return this.publish(m.id, room, op.sdp, new Set(op.muted), from);
      case "media.mute":
        return this.mute(m.id, room, op.kind, op.muted, from);
      case "media.subscribe":
        return this.subscribe(m.id, room, op.publisherId, from);
      case "media.answer": {
        const peer = this.peers.get(op.peerId);
        if (!peer || peer.connectionId !== from.connectionId || peer.publisherId === null)
          throw new AppError("not_found", "no such media peer");
        requireDtlsSrtp(op.sdp);
        await peer.pc.setRemoteDescription({ type: "answer", sdp: op.sdp });
        return {};
      }
      case "media.leave":
        room.joined.delete(from.connectionId);
        await this.close((p) => p.connectionId === from.connectionId);
        return {};
    }
  }

  async disconnected(connectionId: string): Promise<void> {
    for (const room of this.rooms.values()) room.joined.delete(connectionId);
    await this.close((p) => p.connectionId === connectionId);
  }

  async gone(meetingId: string, personId: string): Promise<void> {
    await this.close((p) => p.meetingId === meetingId && p.personId === personId);
  }

  /** How many streams this node forwards now (one per relay track and subscriber). */
  forwardedStreams(): number {
    let n = 0;
    for (const p of this.peers.values()) if (p.publisherId !== null) n += p.pc.getTransceivers().length;
    return n;
  }

  private room(meetingId: string): Room {
    let r = this.rooms.get(meetingId);
    if (!r) {
      r = { publications: new Map(), joined: new Set() };
      this.rooms.set(meetingId, r);
    }
    return r;
  }

  private newPeer(meetingId: string, from: From, publisherId: string | null): Peer {
    const held = [...this.peers.values()].filter((p) => p.connectionId === from.connectionId).length;
    if (held >= MAX_PEERS_PER_CONNECTION) throw new AppError("conflict", "too many media peers on this connection");
    const peer: Peer = { ...from, id: uuidv7(), meetingId, pc: serverPeer(this.k.config), publisherId };
    this.peers.set(peer.id, peer);
    peer.pc.connectionStateChange.subscribe((state) => {
      if (state === "failed" || state === "closed") void this.close((p) => p === peer);
    });
    return peer;
  }

  /** Our description once gathered, as clients must see it (one peer gathers at a time). */
  private async localSdp(pc: RTCPeerConnection, make: () => Promise<void>): Promise<string> {
    const run = this.gathering.then(async () => {
      await make();
      await gathered(pc);
    });
    this.gathering = run.catch(() => undefined);
    await run;
    return announced(pc.localDescription?.sdp ?? "", this.k.config.MEDIA_ANNOUNCED_IP);
  }

  /** Packets received from an attendee's publication so far, per kind (what the SFU was sent, muted or not). */
  received(meetingId: string, attendeeId: string): Record<MediaKind, number> | null {
    const p = this.rooms.get(meetingId)?.publications.get(attendeeId);
    return p ? { ...p.received } : null;
  }

  private async mute(meetingId: string, room: Room, kind: MediaKind, muted: boolean, from: From) {
    const publication = room.publications.get(from.attendeeId);
    if (!publication) throw new AppError("not_found", "you publish nothing");
    if (muted) publication.muted.add(kind);
    else publication.muted.delete(kind);
    // Pictures resume at once on the subscribers' side only from a keyframe.
    if (!muted && kind === "video") publication.keyframe();
    await this.tell(room, meetingId, this.muteNotice(from.attendeeId, publication), from.connectionId);
    return { muted: [...publication.muted] };
  }

  private muteNotice(publisherId: string, p: Publication): Record<string, unknown> {
    return { media: "muted", publisherId, audio: p.muted.has("audio"), video: p.muted.has("video") };
  }

  private async publish(meetingId: string, room: Room, offer: string, muted: Set<MediaKind>, from: From) {
    requireDtlsSrtp(offer);
    const kinds = sentKinds(offer);
    if (!kinds.length) throw new AppError("validation", "the offer sends no audio or video");
    // One publication per attendee: publishing again (a new device, a reconnection) replaces the old one.
    await this.close((p) => p.meetingId === meetingId && p.attendeeId === from.attendeeId && p.publisherId === null);
    const peer = this.newPeer(meetingId, from, null);
    const relays = kinds.map((kind) => new MediaStreamTrack({ kind }));
    const pli: (() => void)[] = [];
    const received: Record<MediaKind, number> = { audio: 0, video: 0 };
    peer.pc.onTrack.subscribe((track) => {
      const relay = relays.find((r) => r.kind === track.kind);
      if (!relay) return;
      const kind = relay.kind as MediaKind;
      track.onReceiveRtp.subscribe((rtp) => {
        received[kind]++;
        // A muted kind is not forwarded even if its sender keeps sending (an old or hostile client).
        if (!muted.has(kind)) relay.writeRtp(rtp);
      });
      const receiver = peer.pc.getTransceivers().find((t) => t.receiver.tracks.includes(track))?.receiver;
      if (track.kind === "video" && receiver)
        pli.push(() => {
          if (track.ssrc !== undefined) void receiver.sendRtcpPLI(track.ssrc);
        });
    });
    try {
      await peer.pc.setRemoteDescription({ type: "offer", sdp: offer });
      const sdp = await this.localSdp(peer.pc, async () => {
        await peer.pc.setLocalDescription(await peer.pc.createAnswer());
      });
      const publication = { peer, relays, keyframe: () => pli.forEach((f) => f()), muted, received };
      room.publications.set(from.attendeeId, publication);
      await this.tell(room, meetingId, { media: "published", publisherId: from.attendeeId }, from.connectionId);
      if (muted.size)
        await this.tell(room, meetingId, this.muteNotice(from.attendeeId, publication), from.connectionId);
      return { peerId: peer.id, sdp };
    } catch (e) {
      await this.close((p) => p === peer);
      throw e instanceof AppError ? e : new AppError("validation", "this offer cannot be answered");
    }
  }

  private async subscribe(meetingId: string, room: Room, publisherId: string, from: From) {
    const publication = room.publications.get(publisherId);
    if (!publication) throw new AppError("not_found", "this person publishes nothing");
    // Watching someone again replaces the previous subscription to them.
    await this.close((p) => p.connectionId === from.connectionId && p.publisherId === publisherId);
    const peer = this.newPeer(meetingId, from, publisherId);
    for (const relay of publication.relays) {
      const t = peer.pc.addTransceiver(relay, { direction: "sendonly" });
      // A subscriber's decoder asking for a picture (PLI or FIR) is passed on to the publisher.
      t.sender.onRtcp.subscribe((rtcp) => {
        if (rtcp instanceof RtcpPayloadSpecificFeedback) publication.keyframe();
      });
    }
    peer.pc.connectionStateChange.subscribe((state) => {
      if (state === "connected") publication.keyframe();
    });
    try {
      const sdp = await this.localSdp(peer.pc, async () => {
        await peer.pc.setLocalDescription(await peer.pc.createOffer());
      });
      return { peerId: peer.id, sdp };
    } catch (e) {
      await this.close((p) => p === peer);
      throw e;
    }
  }

  /** Closes the matching peers; a publisher's going ends its subscribers' peers and is told to the room. */
  private async close(match: (p: Peer) => boolean): Promise<void> {
    const closing = [...this.peers.values()].filter(match);
    for (const peer of closing) {
      if (!this.peers.delete(peer.id)) continue;
      await peer.pc.close();
      const room = this.rooms.get(peer.meetingId);
      if (!room || peer.publisherId !== null) continue;
      const publication = room.publications.get(peer.attendeeId);
      if (publication?.peer !== peer) continue;
      room.publications.delete(peer.attendeeId);
      for (const r of publication.relays) r.stop();
      await this.close((p) => p.meetingId === peer.meetingId && p.publisherId === peer.attendeeId);
      await this.tell(room, peer.meetingId, { media: "unpublished", publisherId: peer.attendeeId });
    }
    for (const [id, room] of this.rooms)
      if (!room.publications.size && !room.joined.size && ![...this.peers.values()].some((p) => p.meetingId === id))
        this.rooms.delete(id);
  }

  /** Pushes a media notice to every connection that joined the room's media (but the one it is about). */
  private async tell(room: Room, meetingId: string, body: Record<string, unknown>, except?: string): Promise<void> {
    for (const c of room.joined) if (c !== except) await this.k.realtime.sendTo(c, meetingTopic(meetingId), body);
  }
}
