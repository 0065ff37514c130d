import { describe, expect, it } from "vitest";
import { serverPeer } from "../sfu-peer.ts";

/**
 * werift asks stun.l.google.com for a server-reflexive address whenever no
 * STUN server is configured; the SFU's peers must ask nobody (sovereignty, and
 * no DNS wait on a machine without internet).
 */
describe("meetings: the SFU's peers", () => {
  it("gather their candidates without any STUN server, Google's default included", async () => {
    const pc = serverPeer({ MEDIA_PORT_MIN: 41500, MEDIA_PORT_MAX: 41599 });
    pc.addTransceiver("audio", { direction: "recvonly" });
    await pc.setLocalDescription(await pc.createOffer());
    expect(pc.iceTransports.length).toBeGreaterThan(0);
    for (const t of pc.iceTransports) expect(t.connection.stunServer).toBeUndefined();
    expect(pc.localDescription?.sdp).not.toMatch(/typ srflx/);
    await pc.close();
  });
});
