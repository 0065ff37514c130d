import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { axeViolations as violations } from "./src/a11y.ts";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { launchChromium, newContext } from "./src/browser.ts";
import { signIn, tr } from "./src/shell.ts";

let browser: Browser;
let server: TestServer;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  page = (await newContext(browser, server.url)).page;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function check(path: string, ready: () => Promise<unknown>) {
  // A change of fragment alone would not reload the page.
  if (path.includes("#")) await page.goto("about:blank");
  await page.goto(path);
  await ready();
  expect(await violations(page), path).toEqual([]);
}

describe("accessibility of every shell screen (axe-core: no serious or critical violation)", () => {
  it("pages before sign-in", async () => {
    const h = (key: string) => () =>
      page.getByRole("heading", { level: 1, name: tr("fr", key, { brand: "Ensemble" }) }).waitFor();
    await check(`/setup#token=${await server.setupToken()}`, h("auth.setupTitle"));
    await check("/sign-in", h("auth.signInTitle"));
    // An error state too: the translated problem is announced.
    await page.getByRole("textbox", { name: tr("fr", "auth.login") }).fill("nobody");
    await page.getByRole("textbox", { name: tr("fr", "auth.password"), exact: true }).fill("wrong-password-123");
    await page.getByRole("button", { name: tr("fr", "auth.signIn"), exact: true }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: tr("fr", "problems.invalid_credentials") })
      .waitFor();
    expect(await violations(page)).toEqual([]);
    await check("/forgot-password", h("auth.resetRequestTitle"));
    await check("/reset-password#token=abcdefghijklmnopqrstuvwxyz", h("auth.resetTitle"));
    await check("/invite#token=not-a-real-invitation-token-000", () => page.getByRole("alert").waitFor());
  });

  it("signed-in screens: home, services, settings, administration", async () => {
    const admin = await server.createUser({ role: "admin", displayName: "Alice Martin" });
    const inviter = await server.signedIn({ role: "admin" });
    const inv = await inviter.client.post<{ link: string }>("/api/invitations", {});
    await check(new URL(inv.body.link).pathname + new URL(inv.body.link).hash, () =>
      page.getByRole("button", { name: tr("fr", "auth.createAccount") }).waitFor(),
    );
    await signIn(page, "fr", admin.username);
    expect(await violations(page)).toEqual([]);
    // Each service is checked by its module's own suites.
    for (const tab of ["profile", "preferences", "notifications", "password", "sessions", "tokens", "two-factor"]) {
      await check(`/settings/${tab}`, () => page.getByRole("tabpanel").waitFor());
    }
    await page.getByRole("button", { name: tr("fr", "settings.twoFactorStart") }).click();
    await page.getByRole("img", { name: tr("fr", "settings.qrAlt") }).waitFor();
    expect(await violations(page), "two-factor enrolment").toEqual([]);
    for (const tab of ["users", "groups", "invitations", "settings", "audit", "status"]) {
      await check(`/admin/${tab}`, () => page.getByRole("tabpanel").waitFor());
    }
    // The notification centre, open.
    await page.goto("/");
    await page.getByRole("button", { name: tr("fr", "notifications.bell") }).click();
    await page.getByText(tr("fr", "notifications.empty")).waitFor();
    expect(await violations(page), "notification centre").toEqual([]);
    // The user menu, open (status, settings, sign out).
    await page.keyboard.press("Escape");
    await page.getByTestId("user-menu").click();
    await page.getByRole("menu").waitFor();
    expect(await violations(page), "user menu").toEqual([]);
    await page.keyboard.press("Escape");
    // The search dialog with results, and a profile card.
    await page.goto("/");
    await page.getByRole("heading", { level: 1, name: tr("fr", "home.greeting", { name: "Alice Martin" }) }).waitFor();
    await page.keyboard.press("Control+K");
    await page.getByRole("combobox", { name: tr("fr", "search.label") }).fill("Alice");
    await page.getByRole("option", { name: /Alice Martin/ }).waitFor();
    expect(await violations(page), "search dialog").toEqual([]);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 2, name: "Alice Martin" }).waitFor();
    await page.getByTestId("presence").waitFor();
    expect(await violations(page), "profile card").toEqual([]);
    await check("/no-such-page", () => page.getByRole("heading", { name: tr("fr", "app.notFoundTitle") }).waitFor());
  });

  it("stays AA with a light brand colour (text on the colour turns dark)", async () => {
    const admin = await server.signedIn({ role: "admin" });
    expect(
      (await admin.client.patch("/api/admin/settings", { brandColor: "#ffd43b", brandName: "Métropole" })).status,
    ).toBe(200);
    await check("/", () => page.getByRole("heading", { level: 1 }).waitFor());
    const header = await page.locator("header.brand-header").evaluate((el) => getComputedStyle(el).color);
    expect(header).toBe("rgb(0, 0, 0)");
    await check("/settings/profile", () => page.getByRole("tabpanel").waitFor());
    await check("/admin/settings", () => page.getByRole("tabpanel").waitFor());
  });
});
