import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserAndServer, newContext } from "./src/browser.ts";
import { PASSWORD, SERVICES, serviceNav, tr } from "./src/shell.ts";
import { ct } from "./src/chat.ts";

const env = browserAndServer();
const ORG = "Métropole de Lyon";
beforeAll(async () => {
  const admin = await env.server.signedIn({ role: "admin" });
  expect((await admin.client.patch("/api/admin/settings", { brandName: ORG })).status).toBe(200);
});

const title = (page: Page) => page.evaluate(() => document.title);
const focusedHeading = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el && /^H[1-6]$/.test(el.tagName) ? (el.textContent ?? "") : `not a heading: ${el?.tagName ?? "none"}`;
  });

/** Opens `path` fresh, waits for its page to be drawn, and returns the document title. */
async function titleOf(page: Page, path: string, ready: () => Promise<unknown>): Promise<string> {
  await page.goto(path);
  await ready();
  await expect.poll(() => title(page)).toMatch(new RegExp(` — ${ORG}$`));
  return title(page);
}

/** Clicks every tab of a tabbed page (settings, administration, with the modules' tabs) and collects each title. */
async function tabTitles(page: Page, path: string): Promise<string[]> {
  await page.goto(path);
  await page.getByRole("tabpanel").waitFor();
  const names = await page.getByRole("tab").allTextContents();
  const out: string[] = [];
  for (const name of names) {
    await page.getByRole("tab", { name, exact: true }).click();
    await expect
      .poll(() => title(page))
      .toBe(`${name} — ${tr("fr", path === "/settings" ? "nav.settings" : "nav.admin")} — ${ORG}`);
    out.push(await title(page));
  }
  return out;
}

describe("every route has its own title, and a change of page moves the focus to its heading", () => {
  it("walks the shell's routes and every service's", async () => {
    const { server } = env;
    const user = await server.createUser({ role: "admin", displayName: "Claire Dubois" });
    const { page } = await newContext(env.browser, server.url);
    const h1 = () => page.getByRole("heading", { level: 1 }).first().waitFor();

    const titles = new Map<string, string>();
    for (const path of ["/sign-in", "/setup", "/invite", "/forgot-password", "/reset-password", "/accessibility"])
      titles.set(path, await titleOf(page, path, h1));
    expect(titles.get("/sign-in")).toBe(`${tr("fr", "auth.signInTitle")} — ${ORG}`);

    // Signing in with the keyboard lands the focus on the home page's heading, not on <body>.
    await page.goto("/sign-in");
    await page.getByRole("textbox", { name: tr("fr", "auth.login") }).fill(user.username);
    await page.getByRole("textbox", { name: tr("fr", "auth.password"), exact: true }).fill(PASSWORD);
    await page.keyboard.press("Enter");
    const greeting = tr("fr", "home.greeting", { name: "Claire Dubois" });
    await expect.poll(() => focusedHeading(page), { timeout: 15_000 }).toBe(greeting);
    // The change is announced by the shell's live region.
    await expect.poll(() => page.getByTestId("page-announcer").textContent()).toBe(await title(page));

    titles.set("/", await titleOf(page, "/", h1));
    expect(titles.get("/")).toBe(`${tr("fr", "nav.home")} — ${ORG}`);
    // Each service's pages, titled through its web manifest with nothing to do on its side.
    for (const service of SERVICES) {
      const t = await titleOf(page, `/${service}`, h1);
      expect(t.endsWith(`${serviceNav("fr", service)} — ${ORG}`), t).toBe(true);
      titles.set(`/${service}`, t);
    }
    for (const t of [...(await tabTitles(page, "/settings")), ...(await tabTitles(page, "/admin"))]) titles.set(t, t);
    titles.set(
      "/people",
      await titleOf(page, `/people/${user.id}`, () => page.getByRole("heading", { name: "Claire Dubois" }).waitFor()),
    );
    expect(titles.get("/people")).toBe(`Claire Dubois — ${tr("fr", "people.title")} — ${ORG}`);
    titles.set("*", await titleOf(page, "/no-such-page", h1));

    const all = [...titles.values()];
    expect(new Set(all).size, all.join("\n")).toBe(all.length);
  });

  it("names the chat room in the title and moves the focus to it when the page changes", async () => {
    const { server } = env;
    const alice = await server.signedIn({ displayName: "Alice Martin" });
    const room = await alice.client.post<{ id: string }>("/api/chat/rooms", {
      type: "channel",
      slug: "projet-tramway",
    });
    expect(room.status).toBe(201);
    const { page } = await newContext(env.browser, server.url);
    await page.goto("/sign-in");
    await page.getByRole("textbox", { name: tr("fr", "auth.login") }).fill(alice.user.username);
    await page.getByRole("textbox", { name: tr("fr", "auth.password"), exact: true }).fill(PASSWORD);
    await page.keyboard.press("Enter");
    // Signed in: the shell has put the focus on the home page's heading.
    await expect
      .poll(() => focusedHeading(page), { timeout: 15_000 })
      .toBe(tr("fr", "home.greeting", { name: "Alice Martin" }));
    // To the chat from the navigation, with the keyboard: the focus lands on the open room's heading.
    await page.getByRole("link", { name: serviceNav("fr", "chat"), exact: true }).focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("composer").waitFor();
    await expect
      .poll(() => focusedHeading(page), { timeout: 15_000 })
      .toBe(await page.getByTestId("room-title").textContent());
    // Another room from the chat's own list: the focus stays in the list, the new title is announced.
    await page.getByRole("link", { name: /projet-tramway/ }).focus();
    await page.keyboard.press("Enter");
    const expected = `#projet-tramway — ${ct("nav")} — ${ORG}`;
    await expect.poll(() => title(page)).toBe(expected);
    await expect.poll(() => page.getByTestId("page-announcer").textContent()).toBe(expected);
    expect(await page.evaluate(() => document.activeElement?.closest("a")?.textContent ?? "")).toContain(
      "projet-tramway",
    );
  });
});
