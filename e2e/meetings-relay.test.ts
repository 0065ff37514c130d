import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { startCoturn, type TestCoturn } from "@ensemble/testkit/coturn";
import { FAKE_MEDIA_ARGS, launchChromium } from "./src/browser.ts";
import { person, type Person } from "./src/chat.ts";
import { joinAsMember, keepPeers, playingTiles, rtpPackets, selectedPaths } from "./src/meetings.ts";

/**
 * Meetings through TURN only: Debian's coturn on loopback with the server's
 * shared secret, the server saying `TURN_POLICY=relay`, so each browser
 * gathers nothing but relay candidates from the credentials of its join
 * answer. The SFU itself needs no TURN: it is reachable, and the browsers'
 * relayed packets come to its host candidate from coturn's relay address.
 */
let coturn: TestCoturn;
let browser: Browser;
let server: TestServer;
let alice: Person;
let bruno: Person;
let code: string;

beforeAll(async () => {
  coturn = await startCoturn();
  browser = await launchChromium(FAKE_MEDIA_ARGS);
  server = await startTestServer({
    env: {
      // The SFU's candidates on loopback, where coturn relays to (it is told to allow loopback peers).
      MEDIA_ANNOUNCED_IP: "127.0.0.1",
      TURN_URLS: coturn.url,
      TURN_SECRET: coturn.secret,
      TURN_POLICY: "relay",
    },
  });
  alice = await person(browser, server, "Alice Martin");
  bruno = await person(browser, server, "Bruno Petit");
  for (const p of [alice, bruno]) {
    await p.page.context().addInitScript(keepPeers);
    p.page.setDefaultTimeout(60_000);
  }
  const r = await alice.api.post<{ code: string }>("/api/meetings", { kind: "instant", title: "Point relayé" });
  if (r.status !== 201) throw new Error(r.text);
  code = r.body.code;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await coturn?.stop();
});

describe("Réunions through TURN", () => {
  it("carries both participants' media through coturn with the server's credentials", async () => {
    await joinAsMember(alice.page, code);
    await joinAsMember(bruno.page, code);
    for (const p of [alice.page, bruno.page]) await expect.poll(() => playingTiles(p), { timeout: 30_000 }).toBe(1);

    // Every connection of each page (its publisher and its subscriber) runs over a relay candidate of coturn.
    for (const p of [alice.page, bruno.page]) {
      const paths = await selectedPaths(p);
      expect(paths).toHaveLength(2);
      for (const path of paths) {
        expect(path.policy).toBe("relay");
        expect(path.local).toMatchObject({ candidateType: "relay", relayProtocol: "udp", address: "127.0.0.1" });
        expect(path.local.url).toContain(`127.0.0.1:${coturn.port}`);
        expect(path.remote).toMatchObject({ address: "127.0.0.1" });
      }
    }

    // And pictures keep coming through it: Bruno's inbound video packets grow.
    const before = await rtpPackets(bruno.page, "inbound-rtp", "video");
    await expect
      .poll(() => rtpPackets(bruno.page, "inbound-rtp", "video"), { timeout: 20_000 })
      .toBeGreaterThan(before + 50);

    // coturn allocated for each of them, under the user names the server signed (`<expiry>:<person>`).
    for (const who of [alice, bruno])
      expect(coturn.log.some((l) => new RegExp(`user <\\d+:${who.id}>.*ALLOCATE processed, success`).test(l))).toBe(
        true,
      );
  }, 120_000);
});
