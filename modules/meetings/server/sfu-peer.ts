import { AppError, type Config } from "@ensemble/kernel";
import { Connection, RTCPeerConnection, useOPUS, useVP8, type PeerConfig } from "werift";

/**
 * werift's ICE agent falls back to a public STUN server (stun.l.google.com)
 * whenever none is configured, so every peer the SFU opened would ask Google
 * for its address — an outbound contact a sovereign installation must not
 * make, and a DNS wait on a machine without internet. The SFU announces its
 * own address (MEDIA_ANNOUNCED_IP) and relays through the organisation's TURN,
 * so no STUN server configured means none asked. Applied once, at load, to
 * the one werift instance of the process.
 */
type IceAgent = { options: { stunServer?: unknown }; stunServer?: unknown };
const iceProto = Connection.prototype as unknown as { applyStunTurnServersFromOptions(this: IceAgent): void };
const applyServers = iceProto.applyStunTurnServersFromOptions;
iceProto.applyStunTurnServersFromOptions = function (this: IceAgent) {
  applyServers.call(this);
  if (!this.options.stunServer) this.stunServer = undefined;
};

/**
 * One codec per kind on both sides of the SFU: a forwarded packet keeps its
 * payload, so what a publisher sends is what every subscriber must decode.
 * Opus and VP8 are what every browser encodes and decodes.
 */
export const sfuCodecs: PeerConfig["codecs"] = { audio: [useOPUS()], video: [useVP8()] };

/** A server-side peer: ports from MEDIA_PORT_MIN..MAX, one bundled transport, no STUN (the server is reachable). */
export function serverPeer(config: Pick<Config, "MEDIA_PORT_MIN" | "MEDIA_PORT_MAX">): RTCPeerConnection {
  return new RTCPeerConnection({
    codecs: sfuCodecs,
    bundlePolicy: "max-bundle",
    icePortRange: [config.MEDIA_PORT_MIN, config.MEDIA_PORT_MAX],
    iceUseIpv6: false,
    iceServers: [],
  });
}

/** Resolves once the peer has gathered its candidates: descriptions go whole over /ws (no trickle). */
export async function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === "complete") return;
  await new Promise<void>((resolve) => {
    const { unSubscribe } = pc.iceGatheringStateChange.subscribe((state) => {
      if (state !== "complete") return;
      unSubscribe();
      resolve();
    });
    if (pc.iceGatheringState === "complete") {
      unSubscribe();
      resolve();
    }
  });
}

const ENCRYPTED_PROFILES = new Set(["UDP/TLS/RTP/SAVPF", "UDP/DTLS/SCTP"]);

/**
 * DTLS-SRTP is the only transport the SFU speaks: a description whose media
 * sections are not DTLS-protected, or that carries no certificate
 * fingerprint to check the handshake against, is refused before any socket
 * is opened.
 */
export function requireDtlsSrtp(sdp: string): void {
  const lines = sdp.split(/\r?\n/);
  const media = lines.filter((l) => l.startsWith("m="));
  const encrypted = media.length > 0 && media.every((l) => ENCRYPTED_PROFILES.has(l.split(" ")[2] ?? ""));
  const fingerprint = lines.some((l) => /^a=fingerprint:sha-(256|384|512) [0-9A-Fa-f:]+$/.test(l));
  if (!encrypted || !fingerprint)
    throw new AppError("meeting_media_unencrypted", "media must be DTLS-SRTP with a certificate fingerprint");
}

/** The media kinds a publisher's offer sends, in order. */
export function sentKinds(sdp: string): ("audio" | "video")[] {
  const kinds: ("audio" | "video")[] = [];
  let current: "audio" | "video" | null = null;
  let sends = true;
  const flush = () => {
    if (current && sends && !kinds.includes(current)) kinds.push(current);
  };
  for (const l of sdp.split(/\r?\n/)) {
    if (l.startsWith("m=")) {
      flush();
      const kind = l.slice(2).split(" ")[0];
      current = kind === "audio" || kind === "video" ? kind : null;
      sends = true;
    } else if (l === "a=recvonly" || l === "a=inactive") sends = false;
  }
  flush();
  return kinds;
}

/**
 * The node's own description as clients must see it: behind a 1:1 NAT
 * (MEDIA_ANNOUNCED_IP) every host candidate carries the announced address —
 * the media sockets listen on all interfaces, so the port is the same.
 */
export function announced(sdp: string, ip: string | undefined): string {
  if (!ip) return sdp;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const l of sdp.split("\r\n")) {
    let line = l;
    if (l.startsWith("a=candidate:") && / typ host( |$)/.test(l)) {
      const f = l.split(" ");
      f[4] = ip;
      line = f.join(" ");
      if (seen.has(line)) continue;
      seen.add(line);
    } else if (l.startsWith("c=IN IP")) line = `c=IN ${ip.includes(":") ? "IP6" : "IP4"} ${ip}`;
    out.push(line);
  }
  return out.join("\r\n");
}
