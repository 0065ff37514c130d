import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { meetingsSfu } from "../modules/meetings/server/module.ts";
import { axeViolations as violations } from "./src/a11y.ts";
import { FAKE_MEDIA_ARGS, launchChromium, newContext } from "./src/browser.ts";
import { person, type Person } from "./src/chat.ts";
import { joinAsMember as joinByCode, keepPeers, playingTiles, rt, rtpPackets } from "./src/meetings.ts";

let browser: Browser;
let server: TestServer;
let alice: Person;
let bruno: Person;
let code: string;
let meetingId: string;

beforeAll(async () => {
  browser = await launchChromium(FAKE_MEDIA_ARGS);
  // Loopback media candidates: the browsers run on this machine, whatever its interfaces.
  server = await startTestServer({ env: { MEDIA_ANNOUNCED_IP: "127.0.0.1" } });
  alice = await person(browser, server, "Alice Martin");
  bruno = await person(browser, server, "Bruno Petit");
  for (const p of [alice, bruno]) {
    await p.page.context().addInitScript(keepPeers);
    // Three browsers sending video on a shared two-core machine: pages may take long to load.
    p.page.setDefaultTimeout(90_000);
  }
  const r = await alice.api.post<{ id: string; code: string }>("/api/meetings", {
    kind: "instant",
    title: "Point d'équipe",
  });
  if (r.status !== 201) throw new Error(r.text);
  code = r.body.code;
  meetingId = r.body.id;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const joinAsMember = (p: Page) => joinByCode(p, code);

describe("Réunions in three browsers", () => {
  it("lets a guest in only when admitted, then everyone sees the two others", async () => {
    // The join screen: camera preview and toggles, keyboard-usable, axe-clean.
    await alice.page.goto(`/meetings/${code}`);
    await alice.page.getByRole("heading", { level: 1, name: rt("joinTitle") }).waitFor();
    await alice.page.getByLabel(rt("preview")).waitFor();
    await expect
      .poll(() => alice.page.getByLabel(rt("preview")).evaluate((v: HTMLVideoElement) => v.videoWidth))
      .toBeGreaterThan(0);
    const mic = alice.page.getByRole("button", { name: rt("mic") });
    await mic.focus();
    await alice.page.keyboard.press("Enter");
    await expect.poll(() => mic.getAttribute("aria-pressed")).toBe("false");
    await alice.page.keyboard.press("Space");
    await expect.poll(() => mic.getAttribute("aria-pressed")).toBe("true");
    expect(await violations(alice.page), "join screen").toEqual([]);
    await alice.page.getByRole("button", { name: rt("join") }).click();
    await alice.page.getByRole("navigation", { name: rt("controls") }).waitFor();
    await joinAsMember(bruno.page);

    // Someone without an account comes by the link: a name, then the waiting room, and nothing of the meeting.
    const guest = await newContext(browser, server.url);
    guest.page.setDefaultTimeout(90_000);
    await guest.page.goto(`/meetings/${code}`);
    await guest.page.getByRole("heading", { level: 1, name: rt("joinTitle") }).waitFor();
    await guest.page.getByRole("textbox", { name: rt("name") }).fill("Camille Invitée");
    expect(await violations(guest.page), "public join screen").toEqual([]);
    await guest.page.getByRole("button", { name: rt("join") }).click();
    await guest.page.getByRole("heading", { level: 1, name: rt("waitingTitle") }).waitFor();
    expect(await guest.page.locator("figure").count()).toBe(0);
    expect(await guest.page.evaluate(() => document.querySelectorAll("video").length)).toBe(0);

    // Alice and Bruno see each other; Alice, the organiser, sees who knocks.
    await expect.poll(() => playingTiles(alice.page), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => playingTiles(bruno.page), { timeout: 30_000 }).toBe(1);
    const admit = alice.page.getByRole("button", { name: rt("admitName", { name: "Camille Invitée" }) });
    await admit.waitFor();
    expect(await bruno.page.getByRole("button", { name: rt("admitName", { name: "Camille Invitée" }) }).count()).toBe(
      0,
    );
    expect(await violations(alice.page), "meeting page with the lobby").toEqual([]);

    await admit.click();
    await guest.page.getByRole("navigation", { name: rt("controls") }).waitFor();
    for (const p of [alice.page, bruno.page, guest.page])
      await expect.poll(() => playingTiles(p), { timeout: 30_000 }).toBe(2);
    expect(await violations(guest.page), "meeting page").toEqual([]);

    // Leaving ends the guest's tile at the others'.
    await guest.page.getByRole("button", { name: rt("leave") }).click();
    await guest.page.getByText(rt("left")).waitFor();
    await expect.poll(() => alice.page.locator("figure[data-publisher]").count()).toBe(1);
    await guest.context.close();
  }, 300_000);

  it("sends nothing of a muted microphone or camera, shows it to the others, and resumes", async () => {
    const aliceTile = bruno.page.locator("figure[data-publisher]");
    const aliceId = (await aliceTile.getAttribute("data-publisher"))!;
    const sfu = meetingsSfu(server.kernel);
    const toggles = alice.page.getByRole("navigation", { name: rt("controls") });
    const other = { audio: "video", video: "audio" } as const;

    /**
     * Switches one of Alice's devices off and proves that none of its packets
     * leave her browser, reach the SFU or reach Bruno — the other kind's
     * packets at Bruno are the clock (no timer) — then switches it back on.
     */
    const muteAndBack = async (kind: "audio" | "video", button: string, shown: () => Promise<boolean>) => {
      const clock = () => rtpPackets(bruno.page, "inbound-rtp", other[kind]);
      await toggles.getByRole("button", { name: button }).click();
      await expect.poll(shown, { timeout: 30_000 }).toBe(true);
      // Packets sent just before the press may still be on their way: count once some of the other kind came after.
      let t = await clock();
      await expect.poll(clock, { timeout: 20_000 }).toBeGreaterThan(t + 30);
      const before = {
        sent: await rtpPackets(alice.page, "outbound-rtp", kind),
        atSfu: sfu.received(meetingId, aliceId)![kind],
        atBruno: await rtpPackets(bruno.page, "inbound-rtp", kind),
      };
      t = await clock();
      await expect.poll(clock, { timeout: 20_000 }).toBeGreaterThan(t + 100);
      expect({
        sent: await rtpPackets(alice.page, "outbound-rtp", kind),
        atSfu: sfu.received(meetingId, aliceId)![kind],
        atBruno: await rtpPackets(bruno.page, "inbound-rtp", kind),
      }).toEqual(before);

      await toggles.getByRole("button", { name: button }).click();
      await expect.poll(shown, { timeout: 30_000 }).toBe(false);
      await expect
        .poll(() => rtpPackets(bruno.page, "inbound-rtp", kind), { timeout: 20_000 })
        .toBeGreaterThan(before.atBruno + 10);
      expect(sfu.received(meetingId, aliceId)![kind]).toBeGreaterThan(before.atSfu);
    };

    await muteAndBack("audio", rt("mic"), () => aliceTile.getByRole("img", { name: rt("micMuted") }).isVisible());
    await muteAndBack("video", rt("camera"), () => aliceTile.getByText(rt("noVideo")).isVisible());
    // Pictures play again at Bruno's after the camera came back.
    const frames = () =>
      aliceTile.locator("video").evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames);
    const f = await frames();
    await expect.poll(frames, { timeout: 20_000 }).toBeGreaterThan(f + 10);
    expect(await violations(bruno.page), "a muted participant's tile").toEqual([]);
  }, 300_000);
});
