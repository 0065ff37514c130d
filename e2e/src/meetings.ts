import type { Page } from "playwright-core";
import roomFr from "../../modules/meetings/web/i18n/room.fr.json" with { type: "json" };

/** A meeting room text in French, with {{placeholders}} filled, from the module's own file. */
export function rt(key: string, vars: Record<string, string> = {}): string {
  const node = (roomFr.room as Record<string, string>)[key];
  if (typeof node !== "string") throw new Error(`no room text for ${key}`);
  return node.replace(/\{\{(\w+)\}\}/g, (_, v: string) => vars[v] ?? "");
}

/** Remote tiles whose video plays: decoded frames with a size (the fake camera's test pattern). */
export const playingTiles = (p: Page) =>
  p.evaluate(
    () =>
      [...document.querySelectorAll<HTMLVideoElement>("figure[data-publisher] video")].filter(
        (v) => v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0,
      ).length,
  );

/** Every peer connection the page opens, kept where the test can read its statistics (an init script). */
export const keepPeers = () => {
  const w = window as unknown as { RTCPeerConnection: typeof RTCPeerConnection; __peers: RTCPeerConnection[] };
  const Native = w.RTCPeerConnection;
  w.__peers = [];
  w.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      w.__peers.push(this);
    }
  };
};

/** RTP packets the page sent or received so far for one kind, over its open connections (getStats). */
export const rtpPackets = (p: Page, dir: "inbound-rtp" | "outbound-rtp", kind: "audio" | "video") =>
  p.evaluate(
    async ([dir, kind]) => {
      let n = 0;
      for (const pc of (window as unknown as { __peers: RTCPeerConnection[] }).__peers) {
        if (pc.connectionState === "closed") continue;
        (await pc.getStats()).forEach(
          (s: { type: string; kind?: string; packetsSent?: number; packetsReceived?: number }) => {
            if (s.type === dir && s.kind === kind)
              n += (dir === "inbound-rtp" ? s.packetsReceived : s.packetsSent) ?? 0;
          },
        );
      }
      return n;
    },
    [dir, kind] as const,
  );

/** One open connection's path as its statistics tell: the selected candidate pair's two ends. */
export interface SelectedPath {
  policy: string;
  local: { candidateType: string; relayProtocol?: string; address?: string; port?: number; url?: string };
  remote: { candidateType: string; address?: string; port?: number };
}

/** The selected path of each of the page's open connections (getStats: transport → candidate pair → candidates). */
export const selectedPaths = (p: Page) =>
  p.evaluate(async () => {
    const out: SelectedPath[] = [];
    for (const pc of (window as unknown as { __peers: RTCPeerConnection[] }).__peers) {
      if (pc.connectionState !== "connected") continue;
      const byId = new Map<string, Record<string, unknown>>();
      (await pc.getStats()).forEach((s: Record<string, unknown>) => byId.set(String(s.id), s));
      for (const t of byId.values()) {
        if (t.type !== "transport" || !t.selectedCandidatePairId) continue;
        const pair = byId.get(String(t.selectedCandidatePairId));
        const local = byId.get(String(pair?.localCandidateId)) as SelectedPath["local"] | undefined;
        const remote = byId.get(String(pair?.remoteCandidateId)) as SelectedPath["remote"] | undefined;
        if (local && remote) out.push({ policy: pc.getConfiguration().iceTransportPolicy ?? "all", local, remote });
      }
    }
    return out;
  });

/** Opens the meeting by its code and joins as a signed-in member (no lobby for members). */
export async function joinAsMember(p: Page, code: string) {
  await p.goto(`/meetings/${code}`);
  await p.getByRole("button", { name: rt("join") }).click();
  await p.getByRole("navigation", { name: rt("controls") }).waitFor();
}
