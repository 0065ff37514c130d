import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { browserAndServer, newContext } from "./src/browser.ts";
import { signIn, tr } from "./src/shell.ts";
import { ct, messages, send } from "./src/chat.ts";

/**
 * The shell and the chat on a phone (issue 10): at 390×844 every header action
 * is on the screen and answers a tap, nothing scrolls sideways, and a person
 * reads, posts, follows a thread, searches and signs out. 360 and 430 px wide
 * are checked for the header and the room too.
 */
const env = browserAndServer();
const PHONE = { width: 390, height: 844 };

/**
 * Inside the viewport, with a size, and the element a tap at its centre reaches (nothing over it). Polled: a
 * drawer or a menu may still be sliding in.
 */
async function expectTappable(target: Locator, what: string): Promise<void> {
  await target.waitFor();
  const problems = () =>
    target.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      const wrong = [];
      if (r.width === 0 || r.height === 0) wrong.push("has no size");
      if (r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight)
        wrong.push(`is outside the screen (${Math.round(r.left)}–${Math.round(r.right)} of ${innerWidth} px)`);
      if (hit === null || (hit !== el && !el.contains(hit)))
        wrong.push(`is covered by ${hit?.tagName.toLowerCase()}.${hit?.className}`);
      return wrong.join(", ");
    });
  await expect.poll(problems, { message: what, timeout: 5_000 }).toBe("");
}

const noSideScroll = (page: Page) =>
  page
    .evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth)
    .then((extra) => {
      expect(extra, "nothing scrolls sideways").toBeLessThanOrEqual(0);
    });

const banner = (page: Page) => page.getByRole("banner");
const headerControls = (page: Page): [Locator, string][] => [
  [banner(page).getByRole("button", { name: tr("fr", "nav.toggleNav") }), "navigation button"],
  [banner(page).getByRole("button", { name: tr("fr", "nav.search") }), "search button"],
  [banner(page).getByRole("button", { name: /notifications/i }), "notification bell"],
  [page.getByTestId("user-menu"), "user menu"],
];

async function expectHeaderUsable(page: Page, where: string): Promise<void> {
  for (const [control, what] of headerControls(page)) await expectTappable(control, `${what} (${where})`);
  await noSideScroll(page);
}

describe("on a phone (390×844)", () => {
  it("every header action, a room, a post, a thread, search with a jump, presence and sign-out", async () => {
    const alice = await env.server.createUser({ displayName: "Alice Martin-Delacroix" });
    const bob = await env.server.signedIn({ displayName: "Bruno Petit" });
    const room = await bob.client.post<{ id: string }>("/api/chat/rooms", {
      type: "channel",
      slug: "projet-tramway",
      name: "Projet tramway",
      topic: "Le chantier de la ligne nord",
      memberIds: [alice.id],
    });
    expect(room.status).toBe(201);
    const old = await bob.client.post(`/api/chat/rooms/${room.body.id}/messages`, {
      clientKey: "old",
      text: "Le relevé des rails du viaduc est prêt",
    });
    expect(old.status).toBe(201);
    const mention = await bob.client.post(`/api/chat/rooms/${room.body.id}/messages`, {
      clientKey: "mention",
      text: `@${alice.username} peux-tu relire le planning ?`,
    });
    expect(mention.status).toBe(201);

    const { page, foreign } = await newContext(env.browser, env.server.url);
    await page.setViewportSize(PHONE);
    await signIn(page, "fr", alice.username);
    await expectHeaderUsable(page, "home");

    // The navigation: the burger opens it, a service's link takes there and folds it away.
    const nav = page.getByRole("navigation", { name: tr("fr", "nav.main") });
    await banner(page)
      .getByRole("button", { name: tr("fr", "nav.toggleNav") })
      .click();
    const chatLink = nav.getByRole("link", { name: ct("nav"), exact: true });
    await expectTappable(chatLink, "chat link in the navigation");
    await chatLink.click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/chat/);
    await expect.poll(() => nav.evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(0);
    await page.getByTestId("composer").waitFor();
    await expectHeaderUsable(page, "chat");

    // The bell: the mention is listed inside the screen, and opens its room.
    await expect
      .poll(
        () =>
          banner(page)
            .getByRole("button", { name: /notifications/i })
            .getAttribute("aria-label"),
        {
          timeout: 10_000,
        },
      )
      .toBe(tr("fr", "notifications.bellUnread", { shown: "1" }));
    await banner(page)
      .getByRole("button", { name: /notifications/i })
      .click();
    const centre = page.getByRole("dialog", { name: tr("fr", "notifications.title") });
    const item = centre.getByRole("button", { name: /Bruno Petit/ });
    await expectTappable(item, "the notification");
    await expectTappable(centre, "the notification centre");
    await item.click();
    await expect.poll(() => page.getByTestId("room-title").textContent()).toBe("#projet-tramway");

    // The room: its name whole on the screen and each of its buttons reachable, at every phone width.
    for (const width of [360, 390, 430]) {
      await page.setViewportSize({ width, height: PHONE.height });
      await expectHeaderUsable(page, `room, ${width} px`);
      const title = await page.getByTestId("room-title").evaluate((el) => el.scrollWidth <= el.clientWidth);
      expect(title, `the room's name is not cut at ${width} px`).toBe(true);
      const buttons = page.locator(".chat-header").first().getByRole("button");
      for (let i = 0; i < (await buttons.count()); i++)
        await expectTappable(buttons.nth(i), `room header button ${i} at ${width} px`);
      await expectTappable(page.getByTestId("composer"), `composer at ${width} px`);
    }
    await page.setViewportSize(PHONE);

    // The sidebar behind its own button (not a second burger), then back to the room.
    const opener = page.getByRole("button", { name: ct("sidebar.open") });
    await expectTappable(opener, "rooms button");
    await opener.click();
    const general = page.getByTestId("sidebar-room").filter({ hasText: "general" });
    await expectTappable(general, "a room in the sidebar");
    await general.click();
    await expect.poll(() => page.getByTestId("room-title").textContent()).toBe("#general");
    await expect
      .poll(() =>
        page.getByRole("navigation", { name: ct("sidebar.label") }).evaluate((el) => el.getBoundingClientRect().right),
      )
      .toBeLessThanOrEqual(0);

    // Posting.
    await send(page, "Je relis le planning ce soir");
    await messages(page, "Je relis le planning ce soir").waitFor();
    await noSideScroll(page);

    // A thread: opened from the message's actions, it covers the room; a reply, then closed.
    const mine = messages(page, "Je relis le planning ce soir");
    await mine.click();
    const reply = mine.getByRole("button", { name: ct("message.replyInThread") });
    await expectTappable(reply, "reply in thread");
    await reply.click();
    const thread = page.getByTestId("thread-panel");
    await thread.getByTestId("composer").fill("Avec les horaires de nuit");
    await thread.getByTestId("composer").press("Enter");
    await thread.getByTestId("message").filter({ hasText: "Avec les horaires de nuit" }).waitFor();
    const close = thread.getByRole("button", { name: ct("thread.close") });
    await expectTappable(close, "close the thread");
    await noSideScroll(page);
    await close.click();
    await expect.poll(() => thread.count()).toBe(0);
    await expectTappable(page.getByTestId("composer"), "the room's composer after the thread");

    // Search: a word of an older message, and a jump to it in its room, highlighted.
    await expect
      .poll(async () => (await bob.client.get<{ items: unknown[] }>("/api/chat/search?q=viaduc")).body.items.length, {
        timeout: 15_000,
      })
      .toBe(1);
    await page.goto("/");
    await banner(page)
      .getByRole("button", { name: tr("fr", "nav.search") })
      .click();
    const dialog = page.getByRole("dialog", { name: tr("fr", "search.title") });
    const box = dialog.getByRole("combobox", { name: tr("fr", "search.label") });
    await expectTappable(box, "the search field");
    await box.fill("viaduc");
    const hit = dialog.getByRole("option").filter({ hasText: "viaduc" });
    await expectTappable(hit, "the search result");
    await noSideScroll(page);
    await hit.click();
    const found = messages(page, "viaduc");
    await expect.poll(() => found.getAttribute("class"), { timeout: 10_000 }).toContain("chat-highlight");
    await expectTappable(found, "the message found");

    // The user menu: presence, then sign-out.
    await page.getByTestId("user-menu").click();
    const away = page.getByRole("menuitem", { name: tr("fr", "people.presence.away"), exact: true });
    await expectTappable(away, "« away » in the user menu");
    await away.click();
    await page.getByTestId("user-menu").click();
    await page
      .getByRole("menuitem", { name: `${tr("fr", "people.presence.away")}${tr("fr", "presence.current")}` })
      .waitFor();
    const signOut = page.getByRole("menuitem", { name: tr("fr", "nav.signOut") });
    await expectTappable(signOut, "sign out");
    await signOut.click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/sign-in");
    await page.getByRole("button", { name: tr("fr", "auth.signIn"), exact: true }).waitFor();
    await noSideScroll(page);
    expect(foreign).toEqual([]);
  });
});
