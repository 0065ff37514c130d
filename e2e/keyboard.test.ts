import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { launchChromium, newContext } from "./src/browser.ts";
import { PASSWORD, SERVICES, serviceNav, tr } from "./src/shell.ts";
import { expectVisibleFocus } from "./src/a11y.ts";

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const lines = (el?.innerText || el?.getAttribute("aria-label") || "")
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    // The user menu shows the avatar's initials before the name: the name is the last line.
    return { text: lines.at(-1) ?? "", tag: el?.tagName ?? "", role: el?.getAttribute("role") ?? "" };
  });

/** Presses Tab until the focused element's text is `text` (bounded: a trap or a missing stop fails). */
async function tabTo(page: Page, text: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if ((await focused(page)).text === text) return;
  }
  throw new Error(`"${text}" was not reached with Tab`);
}

/** The focused element shows a focus indicator (outline or box-shadow). */
const focusVisible = (page: Page) =>
  page.evaluate(() => {
    const s = getComputedStyle(document.activeElement as Element);
    return (s.outlineStyle !== "none" && s.outlineWidth !== "0px") || s.boxShadow !== "none";
  });

describe("keyboard only", () => {
  it("signs in, moves through the navigation and opens settings without a mouse", async () => {
    const user = await server.createUser({ displayName: "Claire Dubois" });
    const { page, foreign } = await newContext(browser, server.url);
    await page.goto("/sign-in");
    await page.getByRole("heading", { name: tr("fr", "auth.signInTitle") }).waitFor();
    // The login field has the focus on arrival.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("autocomplete"))).toBe("username");
    await page.keyboard.type(user.username);
    await page.keyboard.press("Tab");
    await page.keyboard.type(PASSWORD);
    // The show/hide toggle is the next Tab stop (Mantine leaves it out), visibly focused.
    await page.keyboard.press("Tab");
    expect((await focused(page)).text).toBe(tr("fr", "app.togglePassword"));
    await expectVisibleFocus(page, "password toggle");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: tr("fr", "home.greeting", { name: "Claire Dubois" }) }).waitFor();
    // The focus lands on the new page's heading, visibly (never left on <body>).
    await expect
      .poll(async () => (await focused(page)).text)
      .toBe(tr("fr", "home.greeting", { name: "Claire Dubois" }));
    expect(await focusVisible(page)).toBe(true);

    // The first stop of the page is the skip link, which moves the focus to the content.
    await tabTo(page, tr("fr", "app.skipToContent"));
    expect(await focusVisible(page)).toBe(true);

    // A service's navigation entry (from its manifest) is reached and opened from the keyboard.
    const service = SERVICES[0]!;
    await tabTo(page, serviceNav("fr", service));
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => location.pathname)).toBe(`/${service}`);

    await tabTo(page, tr("fr", "nav.settings"));
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: tr("fr", "settings.title") }).waitFor();
    // Tabs follow the ARIA pattern: arrows move between them.
    await tabTo(page, tr("fr", "settings.tabs.profile"));
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter");
    await page.getByRole("tab", { name: tr("fr", "settings.tabs.preferences"), selected: true }).waitFor();
    await expect.poll(() => page.evaluate(() => location.pathname)).toBe("/settings/preferences");

    // The user menu opens from the keyboard and signs out.
    await tabTo(page, "Claire Dubois");
    await page.keyboard.press("Enter");
    await page.getByRole("menuitem", { name: tr("fr", "nav.signOut") }).waitFor();
    for (let i = 0; i < 10 && (await focused(page)).text !== tr("fr", "nav.signOut"); i++)
      await page.keyboard.press("ArrowDown");
    expect((await focused(page)).text).toBe(tr("fr", "nav.signOut"));
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: tr("fr", "auth.signInTitle") }).waitFor();
    expect(foreign).toEqual([]);
  });
});
