import type { MediaKind } from "../shared/signalling.ts";
import type { RoomSocket } from "./room-socket.ts";

/** Which of a publisher's kinds are switched off, as the server tells it. */
export type Muted = Record<MediaKind, boolean>;

/** Resolves once the browser has gathered its candidates: descriptions go whole to the server (no trickle). */
function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (pc.iceGatheringState !== "complete") return;
      pc.removeEventListener("icegatheringstatechange", check);
      resolve();
    };
    pc.addEventListener("icegatheringstatechange", check);
  });
}

const answerOf = (body: Record<string, unknown> | undefined) => ({
  peerId: String(body?.peerId ?? ""),
  sdp: String(body?.sdp ?? ""),
});

/**
 * The browser's side of the SFU (see the server's `sfu.ts`): one connection
 * sends our camera and microphone, one per publisher receives theirs. Asked
 * over the meeting's socket; the server pushes who starts or stops publishing.
 */
export class RoomMedia {
  private readonly socket: RoomSocket;
  private readonly topic: string;
  private readonly me: string;
  private readonly onStream: (publisherId: string, stream: MediaStream | null) => void;
  /** Someone switched their microphone or camera off or on. */
  onMuted: (publisherId: string, muted: Muted) => void = () => undefined;
  /** What we send: the sender of each kind and the device track it carries when not muted. */
  private readonly sending = new Map<MediaKind, { sender: RTCRtpSender; track: MediaStreamTrack }>();
  private readonly muted = new Set<MediaKind>();
  private iceServers: RTCIceServer[] = [];
  private publisher: RTCPeerConnection | null = null;
  private readonly subscribers = new Map<string, RTCPeerConnection>();
  private closed = false;
  /** `relay` (the server's TURN_POLICY) forces every path through TURN: a network that only lets TURN through. */
  private iceTransportPolicy: RTCIceTransportPolicy = "all";

  constructor(
    socket: RoomSocket,
    topic: string,
    me: string,
    onStream: (publisherId: string, stream: MediaStream | null) => void,
  ) {
    this.socket = socket;
    this.topic = topic;
    this.me = me;
    this.onStream = onStream;
  }

  /** Joins the meeting's media and receives whoever already publishes. */
  async join(): Promise<void> {
    const r = await this.socket.send(this.topic, { op: "media.join" });
    if (!r.ok) throw new Error(r.code ?? "media");
    this.iceServers = (r.body?.iceServers as RTCIceServer[] | undefined) ?? [];
    this.iceTransportPolicy = r.body?.iceTransportPolicy === "relay" ? "relay" : "all";
    const muted = (r.body?.muted as Record<string, MediaKind[]> | undefined) ?? {};
    for (const [id, kinds] of Object.entries(muted))
      this.onMuted(id, { audio: kinds.includes("audio"), video: kinds.includes("video") });
    for (const id of (r.body?.publishers as string[] | undefined) ?? []) void this.receive(id);
  }

  /** A notice the server pushed on the meeting's topic. */
  notice(body: Record<string, unknown>): void {
    const id = String(body.publisherId ?? "");
    if (!id || id === this.me) return;
    if (body.media === "published") void this.receive(id);
    if (body.media === "unpublished") this.drop(id);
    if (body.media === "muted") this.onMuted(id, { audio: body.audio === true, video: body.video === true });
  }

  private peer(): RTCPeerConnection {
    return new RTCPeerConnection({
      iceServers: this.iceServers,
      iceTransportPolicy: this.iceTransportPolicy,
      bundlePolicy: "max-bundle",
    });
  }

  /**
   * Switches our microphone or camera off or on. Off, the sender carries no
   * track at all, so the browser sends no RTP for that kind (a disabled track
   * would still send silence or black frames); the server tells the others.
   */
  async setMuted(kind: MediaKind, muted: boolean): Promise<void> {
    if (this.muted.has(kind) === muted) return;
    if (muted) this.muted.add(kind);
    else this.muted.delete(kind);
    const s = this.sending.get(kind);
    if (!s) return;
    await s.sender.replaceTrack(muted ? null : s.track);
    await this.socket.send(this.topic, { op: "media.mute", kind, muted });
  }

  /** Sends this stream's tracks (replacing what was sent before), muted kinds carrying nothing. */
  async publish(stream: MediaStream): Promise<void> {
    this.publisher?.close();
    this.sending.clear();
    const pc = this.peer();
    this.publisher = pc;
    for (const track of stream.getTracks()) {
      const kind = track.kind as MediaKind;
      const { sender } = pc.addTransceiver(track, { direction: "sendonly", streams: [stream] });
      this.sending.set(kind, { sender, track });
      if (this.muted.has(kind)) await sender.replaceTrack(null);
    }
    await pc.setLocalDescription();
    await gathered(pc);
    const r = await this.socket.send(this.topic, {
      op: "media.publish",
      sdp: pc.localDescription?.sdp ?? "",
      muted: [...this.muted].filter((k) => this.sending.has(k)),
    });
    if (!r.ok) throw new Error(r.code ?? "media");
    await pc.setRemoteDescription({ type: "answer", sdp: answerOf(r.body).sdp });
  }

  private async receive(publisherId: string): Promise<void> {
    if (this.closed) return;
    const r = await this.socket.send(this.topic, { op: "media.subscribe", publisherId });
    if (!r.ok || this.closed) return;
    const offer = answerOf(r.body);
    this.subscribers.get(publisherId)?.close();
    const pc = this.peer();
    this.subscribers.set(publisherId, pc);
    const stream = new MediaStream();
    pc.addEventListener("track", (e) => {
      stream.addTrack(e.track);
      this.onStream(publisherId, stream);
    });
    await pc.setRemoteDescription({ type: "offer", sdp: offer.sdp });
    await pc.setLocalDescription();
    await gathered(pc);
    await this.socket.send(this.topic, {
      op: "media.answer",
      peerId: offer.peerId,
      sdp: pc.localDescription?.sdp ?? "",
    });
  }

  private drop(publisherId: string): void {
    this.subscribers.get(publisherId)?.close();
    this.subscribers.delete(publisherId);
    this.onStream(publisherId, null);
  }

  /** Frames decoded from each publisher so far (the page's own health check, and the tests'). */
  async framesDecoded(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [id, pc] of this.subscribers) {
      const stats = await pc.getStats();
      stats.forEach((s: { type: string; kind?: string; framesDecoded?: number }) => {
        if (s.type === "inbound-rtp" && s.kind === "video") out[id] = (out[id] ?? 0) + (s.framesDecoded ?? 0);
      });
    }
    return out;
  }

  close(): void {
    this.closed = true;
    this.publisher?.close();
    for (const pc of this.subscribers.values()) pc.close();
    this.subscribers.clear();
  }
}
