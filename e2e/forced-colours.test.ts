import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { expectVisibleFocus } from "./src/a11y.ts";
import { browserAndServer } from "./src/browser.ts";
import { defaultChannel, openRoom, person } from "./src/chat.ts";
import { serviceNav, tr } from "./src/shell.ts";

/**
 * Forced colours (Windows high contrast) and reduced motion (issue 16). In forced colours every background
 * becomes the page's colour: a current or selected item must still differ from its neighbours, the focus
 * ring must still show, and presence dots keep their colour.
 */
const env = browserAndServer();

/** The computed colours that survive forced colours, for a current item and a plain one beside it. */
async function looks(current: Locator, other: Locator) {
  const style = (l: Locator) =>
    l.evaluate((el) => {
      const s = getComputedStyle(el);
      return { background: s.backgroundColor, color: s.color, adjust: s.forcedColorAdjust };
    });
  return { current: await style(current), other: await style(other) };
}

async function expectDistinct(current: Locator, other: Locator, what: string) {
  const l = await looks(current, other);
  expect(l.current.background, `${what}: background (other: ${JSON.stringify(l.other)})`).not.toBe(l.other.background);
  expect(l.current.background, `${what}: an opaque background`).not.toMatch(/rgba\(.*, 0\)$|transparent/);
  expect(l.current.color, `${what}: its text on the highlight`).not.toBe(l.current.background);
}

const pageBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

describe("forced colours and reduced motion", () => {
  it("keeps the current page, room, tab and search result, presence and the focus ring visible in forced colours", async () => {
    const alice = await person(env.browser, env.server, "Alice Martin");
    await env.server.createUser({ displayName: "Alain Dupont" });
    const general = await defaultChannel(alice.api);
    const other = await alice.api.post<{ id: string }>("/api/chat/rooms", { type: "channel", slug: "projet-tramway" });
    expect(other.status).toBe(201);
    const page = alice.page;
    await page.emulateMedia({ forcedColors: "active" });
    expect(await page.evaluate(() => matchMedia("(forced-colors: active)").matches)).toBe(true);

    // The chat: the current room in its list, the current service in the shell's navigation.
    await openRoom(page, general);
    const rooms = page.getByTestId("sidebar-room");
    await expectDistinct(
      rooms.and(page.locator("[aria-current='page']")),
      page.locator(`[data-testid="sidebar-room"][data-room-id="${other.body.id}"]`),
      "current room",
    );
    const nav = page.getByRole("navigation").first();
    await expectDistinct(
      nav.getByRole("link", { name: serviceNav("fr", "chat"), exact: true }),
      nav.getByRole("link", { name: tr("fr", "nav.home"), exact: true }),
      "current service",
    );
    // Presence keeps its colour (not the page's), ringed: the status choices in the user menu.
    await page.getByTestId("user-menu").focus();
    await page.keyboard.press("Enter");
    const dot = page.getByRole("menu").locator(".presence-dot").first();
    await dot.waitFor();
    expect(await dot.evaluate((el) => getComputedStyle(el).forcedColorAdjust)).toBe("none");
    expect(await dot.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe(await pageBackground(page));
    await page.keyboard.press("Escape");

    // The focus ring, in the system's colours, on a field and on a button.
    await page.getByTestId("composer").focus();
    await expectVisibleFocus(page, "composer in forced colours");
    await page.keyboard.press("Shift+Tab");
    await expectVisibleFocus(page, "a control in forced colours");

    // A selected tab.
    await page.goto("/settings/profile");
    await page.getByRole("tabpanel").waitFor();
    await expectDistinct(
      page.getByRole("tab", { selected: true }),
      page.getByRole("tab", { selected: false }).first(),
      "selected tab",
    );

    // The active search result.
    await page.keyboard.press("Control+K");
    await page.getByRole("combobox", { name: tr("fr", "search.label") }).fill("Al");
    await page.getByRole("option", { name: /Alain Dupont/ }).waitFor();
    await page.getByRole("option", { name: /Alice Martin/ }).waitFor();
    await expectDistinct(
      page.getByRole("option", { selected: true }),
      page.getByRole("option", { selected: false }).first(),
      "active search result",
    );
  });

  it("runs no animation when the person asks for reduced motion", async () => {
    const alice = await person(env.browser, env.server, "Bruno Petit");
    const page = alice.page;
    await page.emulateMedia({ reducedMotion: "reduce" });
    await page.goto("/");
    await page.getByRole("heading", { level: 1 }).waitFor();
    // Open a dialog and a menu: whatever transition they start lasts no more than a frame.
    await page.keyboard.press("Control+K");
    await page.getByRole("dialog").waitFor();
    const longest = () =>
      page.evaluate(() =>
        Math.max(0, ...document.getAnimations().map((a) => Number(a.effect?.getTiming().duration ?? 0) || 0)),
      );
    expect(await longest()).toBeLessThanOrEqual(1);
    await page.keyboard.press("Escape");
    await page.getByTestId("user-menu").focus();
    await page.keyboard.press("Enter");
    await page.getByRole("menu").waitFor();
    expect(await longest()).toBeLessThanOrEqual(1);
  });
});
