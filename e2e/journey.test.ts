import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import sharp from "sharp";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { launchChromium, newContext } from "./src/browser.ts";
import {
  brandBackground,
  chooseLanguage,
  fillAccountForm,
  greeting,
  SERVICES,
  serviceNav,
  tr,
  watchConsole,
  type Lang,
} from "./src/shell.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe.each<Lang>(["fr", "en"])("web shell journey (%s)", (lang) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("first admin → navigation → settings → invitation → colleague joins → search → both online → live branding → sign out", async () => {
    const admin = await newContext(browser, server.url, lang === "fr" ? "fr-FR" : "en-GB");
    const page = admin.page;
    const problems = watchConsole(page);

    // First-administrator setup from the link the server prints.
    await page.goto(`/setup#token=${await server.setupToken()}`);
    if (lang === "en") await chooseLanguage(page, "en");
    await page.getByRole("heading", { name: tr(lang, "auth.setupTitle") }).waitFor();
    await fillAccountForm(page, lang, { username: "alice", displayName: "Alice Martin", email: "alice@example.org" });
    await greeting(page, lang, "Alice Martin");
    expect(page.url()).toBe(`${server.url}/`);
    // The fragment holding the one-time token is not kept in history.
    expect(await page.evaluate(() => location.hash)).toBe("");

    // Each service opens from the navigation, in its own lazily loaded chunk.
    const nav = page.getByRole("navigation", { name: tr(lang, "nav.main") });
    for (const service of SERVICES) {
      const chunk = page.waitForResponse((r) => new RegExp(`/assets/${service}-[\\w-]+\\.js$`).test(r.url()));
      await nav.getByRole("link", { name: serviceNav(lang, service) }).click();
      expect((await chunk).status()).toBe(200);
      await expect.poll(() => page.url()).toBe(`${server.url}/${service}`);
      // Each service shows its own UI (tested by its module's suites).
      await page.locator("main").getByRole("heading").first().waitFor();
    }
    await nav.getByRole("link", { name: tr(lang, "nav.home") }).click();
    await greeting(page, lang, "Alice Martin");

    // Settings: the sessions tab lists this browser.
    await nav.getByRole("link", { name: tr(lang, "nav.settings") }).click();
    await page.getByRole("heading", { level: 1, name: tr(lang, "settings.title") }).waitFor();
    await page.getByRole("tab", { name: tr(lang, "settings.tabs.sessions") }).click();
    await page.getByText(tr(lang, "settings.thisDevice")).waitFor();
    // A reload keeps the client-side route (SPA fallback on the server).
    await page.reload();
    await page.getByRole("tab", { name: tr(lang, "settings.tabs.sessions"), selected: true }).waitFor();

    // Administration: create an invitation link.
    await nav.getByRole("link", { name: tr(lang, "nav.admin") }).click();
    await page.getByRole("tab", { name: tr(lang, "admin.tabs.invitations") }).click();
    await page.getByRole("button", { name: tr(lang, "admin.createInvitation") }).click();
    const link = (await page.getByTestId("invitation-link").textContent()) ?? "";
    expect(link).toMatch(/\/invite#token=/);

    // The colleague accepts it in a second browser context and lands signed in.
    const colleague = await newContext(browser, server.url, lang === "fr" ? "fr-FR" : "en-GB");
    const cpage = colleague.page;
    const cproblems = watchConsole(cpage);
    await cpage.goto(new URL(link).pathname + new URL(link).hash);
    if (lang === "en") await chooseLanguage(cpage, "en");
    await cpage.getByRole("heading", { name: tr(lang, "auth.inviteTitle", { brand: "Ensemble" }) }).waitFor();
    await fillAccountForm(cpage, lang, { username: "bruno", displayName: "Bruno Petit", email: "bruno@example.org" });
    await greeting(cpage, lang, "Bruno Petit");
    // A member does not see the administration.
    await expect(cpage.getByRole("link", { name: tr(lang, "nav.admin") }).count()).resolves.toBe(0);

    // The admin sees the new colleague in the users list.
    await page.getByRole("tab", { name: tr(lang, "admin.tabs.users") }).click();
    await page.getByRole("cell", { name: /Bruno Petit/ }).waitFor();

    // Global search (Ctrl+K) finds the colleague; the profile card shows them online, and the other way round.
    for (const [p, who] of [
      [page, "Bruno Petit"],
      [cpage, "Alice Martin"],
    ] as const) {
      await p.keyboard.press("Control+K");
      const box = p.getByRole("combobox", { name: tr(lang, "search.label") });
      await box.fill(who.split(" ")[0]!);
      await p.getByRole("option", { name: new RegExp(who) }).waitFor();
      await box.press("Enter");
      await p.getByRole("heading", { level: 2, name: who }).waitFor();
      await expect.poll(() => p.getByTestId("presence").getAttribute("data-status")).toBe("online");
      expect(await p.getByTestId("presence").textContent()).toBe(tr(lang, "people.presence.online"));
    }
    await nav.getByRole("link", { name: tr(lang, "nav.admin") }).click();

    // Branding: a new colour applies at once, without a reload.
    const before = await brandBackground(page);
    await page.getByRole("tab", { name: tr(lang, "admin.tabs.settings") }).click();
    const colour = page.getByRole("textbox", { name: tr(lang, "admin.brandColor") });
    await colour.fill("#18753c");
    await colour.press("Enter");
    await page.getByRole("button", { name: tr(lang, "app.save") }).click();
    await expect.poll(() => brandBackground(page)).toBe("rgb(24, 117, 60)");
    expect(before).not.toBe("rgb(24, 117, 60)");
    // The colleague's open page changes too, without a reload (pushed on the org:branding topic).
    const marker = await cpage.evaluate(() => ((window as unknown as { marker: number }).marker = Math.random()));
    await expect.poll(() => brandBackground(cpage)).toBe("rgb(24, 117, 60)");
    expect(await cpage.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker);
    // A new logo too: it replaces the mark in both headers, live.
    const logo = await sharp({ create: { width: 256, height: 256, channels: 4, background: "#f5f5f5" } })
      .png()
      .toBuffer();
    await page.locator('input[type="file"]').setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: logo });
    await page.locator("header.brand-header img").waitFor();
    await cpage.locator("header.brand-header img").waitFor();
    expect(await cpage.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker);

    // Sign out.
    await cpage.getByTestId("user-menu").click();
    await cpage.getByRole("menuitem", { name: tr(lang, "nav.signOut") }).click();
    await cpage.getByRole("heading", { name: tr(lang, "auth.signInTitle") }).waitFor();
    expect(await cpage.evaluate(async () => (await fetch("/api/me")).status)).toBe(401);

    expect(problems).toEqual([]);
    expect(cproblems).toEqual([]);
    expect([...admin.foreign, ...colleague.foreign]).toEqual([]);
    await admin.context.close();
    await colleague.context.close();
  });
});
