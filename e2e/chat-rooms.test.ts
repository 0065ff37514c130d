import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { axeViolations as violations } from "./src/a11y.ts";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { launchChromium } from "./src/browser.ts";
import { tr } from "./src/shell.ts";
import { ct, defaultChannel, expectCount, messages, openRoom, person, PNG, send, type Person } from "./src/chat.ts";

let browser: Browser;
let server: TestServer;
let alice: Person;
let bob: Person;
let carol: Person;
let general: string;
let projet: string;

const sidebarRoom = (p: Page, id: string) => p.locator(`[data-testid="sidebar-room"][data-room-id="${id}"]`);

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  alice = await person(browser, server, "Alice Martin");
  bob = await person(browser, server, "Bruno Petit");
  carol = await person(browser, server, "Chloé Bernard");
  general = await defaultChannel(alice.api);
  for (const p of [bob, carol]) await defaultChannel(p.api);
  const r = await alice.api.post<{ id: string }>("/api/chat/rooms", {
    type: "channel",
    slug: "projet",
    topic: "Le projet",
    memberIds: [bob.id, carol.id],
  });
  expect(r.status).toBe(201);
  projet = r.body.id;
  for (const p of [alice, bob, carol]) await openRoom(p.page, general);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("Discutons with three people", () => {
  it("counts unread messages and mentions live in the others' sidebars", async () => {
    await openRoom(alice.page, projet);
    await send(alice.page, "Point d'étape demain");
    await send(alice.page, "@" + bob.username + " peux-tu préparer la démo ?");
    // Bob is mentioned: a mention badge; Carol only has unread messages.
    await expect
      .poll(() => sidebarRoom(bob.page, projet).getByTestId("mention-badge").textContent(), { timeout: 15_000 })
      .toBe("1");
    await expect.poll(() => sidebarRoom(carol.page, projet).getAttribute("data-unread"), { timeout: 15_000 }).toBe("2");
    expect(await sidebarRoom(carol.page, projet).getByTestId("mention-badge").count()).toBe(0);
    // Opening the room reads it: the count goes away and a divider marks where the new messages start.
    await sidebarRoom(carol.page, projet).click();
    await carol.page.getByTestId("new-divider").waitFor();
    await expect.poll(() => sidebarRoom(carol.page, projet).getAttribute("data-unread")).toBe("0");
    // It stays read for Carol's other devices too (the server's count).
    await expect
      .poll(async () => {
        const s = await carol.api.get<{ sections: { rooms: { id: string; membership: { unread: number } }[] }[] }>(
          "/api/chat/sidebar",
        );
        return s.body.sections.flatMap((x) => x.rooms).find((x) => x.id === projet)?.membership.unread;
      })
      .toBe(0);
    // Bob's count is still there until he looks.
    expect(await sidebarRoom(bob.page, projet).getAttribute("data-unread")).toBe("2");
  });

  it("reopens the room last read when /chat is opened again, not the first of the sidebar", async () => {
    await openRoom(carol.page, projet);
    await carol.page.goto("/");
    await carol.page.goto("/chat");
    await expect.poll(() => carol.page.getByTestId("room-title").textContent()).toBe("#projet");
    await openRoom(carol.page, general);
    await carol.page.goto("/chat");
    await expect.poll(() => carol.page.getByTestId("room-title").textContent()).not.toBe("#projet");
  });

  it("uploads an image shown inline to everyone, with progress and a viewer", async () => {
    await openRoom(alice.page, general);
    await sidebarRoom(carol.page, general).click();
    await alice.page.getByTestId("file-input").setInputFiles({ name: "plan.png", mimeType: "image/png", buffer: PNG });
    await expect
      .poll(() => alice.page.getByTestId("upload").getAttribute("data-state"), { timeout: 15_000 })
      .toBe("done");
    expect(await alice.page.getByTestId("upload").locator('[role="progressbar"]').getAttribute("aria-valuenow")).toBe(
      "100",
    );
    await send(alice.page, "Le plan du site");
    for (const p of [bob, carol]) {
      const img = messages(p.page, "Le plan du site").getByTestId("inline-image");
      await img.waitFor();
      await expect
        .poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth), { timeout: 15_000 })
        .toBeGreaterThan(0);
    }
    await messages(bob.page, "Le plan du site")
      .getByRole("button", { name: ct("files.openImage", { name: "plan.png" }) })
      .click();
    await bob.page.getByRole("dialog", { name: "plan.png" }).getByRole("img", { name: "plan.png" }).waitFor();
    await bob.page.keyboard.press("Escape");
  });

  it("refuses a file above the administrator's limit with a clear message", async () => {
    const admin = await server.signedIn({ role: "admin" });
    expect((await admin.client.request("PATCH", "/api/chat/settings", { maxUploadMb: 1 })).status).toBe(200);
    await alice.page
      .getByTestId("file-input")
      .setInputFiles({ name: "archive.zip", mimeType: "application/zip", buffer: Buffer.alloc(2 * 1024 * 1024, 7) });
    const row = alice.page.getByTestId("upload").filter({ hasText: "archive.zip" });
    await expect.poll(() => row.getAttribute("data-state"), { timeout: 15_000 }).toBe("failed");
    await row
      .getByRole("alert")
      .filter({ hasText: tr("fr", "problems.payload_too_large") })
      .waitFor();
    await row.getByRole("button", { name: ct("composer.removeFile", { name: "archive.zip" }) }).click();
    expect(await alice.page.getByTestId("upload").count()).toBe(0);
  });

  it("opens a search result in place: the message in its context, highlighted", async () => {
    // An old message, far back in a long history.
    await alice.api.post(`/api/chat/rooms/${general}/messages`, {
      clientKey: "old-1",
      text: "Le compte rendu de l'ornithorynque est prêt",
    });
    for (let i = 0; i < 120; i++)
      await alice.api.post(`/api/chat/rooms/${general}/messages`, {
        clientKey: `filler-${i}`,
        text: `Message de remplissage ${i}`,
      });
    await messages(bob.page, "Message de remplissage 119").waitFor();
    await expect
      .poll(
        async () => (await bob.api.get<{ items: unknown[] }>("/api/chat/search?q=ornithorynque")).body.items.length,
        { timeout: 15_000 },
      )
      .toBe(1);
    expect(await messages(bob.page, "ornithorynque").count()).toBe(0);
    await bob.page.keyboard.press("Control+k");
    const dialog = bob.page.getByRole("dialog");
    await dialog.getByRole("combobox").fill("ornithorynque");
    await dialog.getByRole("option").filter({ hasText: "ornithorynque" }).click();
    const found = messages(bob.page, "ornithorynque");
    await found.waitFor();
    await expect.poll(() => found.getAttribute("class")).toContain("chat-highlight");
    expect(await found.isVisible()).toBe(true);
    // Back to the present from there.
    const toPresent = bob.page.getByTestId("jump-to-present");
    if (await toPresent.count()) await toPresent.click();
    await expect
      .poll(
        async () => {
          await bob.page.locator(".chat-scroller").evaluate((el) => (el.scrollTop = el.scrollHeight));
          return messages(bob.page, "Message de remplissage 119").count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
  });

  it("scrolls back through history page by page, keeping only the rows in view in the page", async () => {
    await openRoom(carol.page, general);
    await messages(carol.page, "Message de remplissage 119").waitFor();
    const scroller = carol.page.locator(".chat-scroller");
    await expect
      .poll(
        async () => {
          await scroller.evaluate((el) => (el.scrollTop = 0));
          return messages(carol.page, "ornithorynque").count();
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    // More than 120 messages loaded, far fewer rendered.
    expect(await carol.page.getByTestId("message").count()).toBeLessThan(80);
    await expectCount(carol.page, "Message de remplissage 119", 0);
  });

  it("has no serious accessibility violation on the chat screen, thread open", async () => {
    await openRoom(carol.page, general);
    const m = messages(carol.page, "Message de remplissage 119");
    await m.hover();
    await m.getByRole("button", { name: ct("message.replyInThread") }).click();
    await carol.page.getByTestId("thread-panel").waitFor();
    expect(await violations(carol.page)).toEqual([]);
  });

  it("works on a phone-sized screen: the sidebar folds away behind a menu button", async () => {
    await carol.page.setViewportSize({ width: 390, height: 800 });
    await openRoom(carol.page, projet);
    const nav = carol.page.getByRole("navigation", { name: ct("sidebar.label") });
    await expect.poll(() => nav.evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(0);
    await carol.page.getByRole("button", { name: ct("sidebar.open") }).click();
    await expect.poll(() => nav.evaluate((el) => el.getBoundingClientRect().left)).toBe(0);
    await sidebarRoom(carol.page, general).click();
    await expect.poll(() => nav.evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(0);
    await expectCount(carol.page, "Message de remplissage 119", 1);
  });
});
