import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import roomFr from "../modules/meetings/web/i18n/room.fr.json" with { type: "json" };
import { axeViolations } from "./src/a11y.ts";
import { FAKE_MEDIA_ARGS, launchChromium } from "./src/browser.ts";
import { ct, openRoom, person, type Person } from "./src/chat.ts";

/** A meeting room text in French, from the meetings module's own file. */
const rt = (key: keyof typeof roomFr.room) => roomFr.room[key];

let browser: Browser;
let server: TestServer;
let alice: Person;
let bruno: Person;
let roomId: string;

beforeAll(async () => {
  browser = await launchChromium(FAKE_MEDIA_ARGS);
  server = await startTestServer({ env: { MEDIA_ANNOUNCED_IP: "127.0.0.1" } });
  alice = await person(browser, server, "Alice Martin");
  bruno = await person(browser, server, "Bruno Petit");
  for (const p of [alice, bruno]) p.page.setDefaultTimeout(90_000);
  const r = await alice.api.post<{ id: string }>("/api/chat/rooms", {
    type: "private",
    slug: "point-projet",
    memberIds: [bruno.id],
  });
  if (r.status !== 201) throw new Error(r.text);
  roomId = r.body.id;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("a call from a chat room", () => {
  it("the call button starts a meeting and posts its join button; another member joins from it", async () => {
    await openRoom(alice.page, roomId);
    await openRoom(bruno.page, roomId);
    // The caller goes to the meeting's page.
    await alice.page.getByRole("button", { name: ct("call.start") }).click();
    await alice.page.waitForURL(/\/meetings\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    const code = new URL(alice.page.url()).pathname.split("/").pop()!;
    await alice.page.getByRole("heading", { level: 1, name: rt("joinTitle") }).waitFor();

    // The room shows the call with its code and a join button, live at Bruno's.
    const card = bruno.page.getByTestId("call-card");
    await card.getByText(ct("call.code", { code })).waitFor();
    expect(await axeViolations(bruno.page), "room with a call").toEqual([]);
    await card.getByRole("link", { name: ct("call.join") }).click();
    await bruno.page.waitForURL(`**/meetings/${code}`);
    await bruno.page.getByRole("button", { name: rt("join") }).click();
    await bruno.page.getByRole("navigation", { name: rt("controls") }).waitFor();
  }, 300_000);
});
