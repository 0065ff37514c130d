import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { launchChromium, newContext } from "./src/browser.ts";
import { signIn, tr } from "./src/shell.ts";

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

describe("notification centre", () => {
  it("shows new notifications live on the bell, lists them, opens one in place and marks all read", async () => {
    const user = await server.createUser({ displayName: "Fanny Girard" });
    const { context, page, foreign } = await newContext(browser, server.url);
    // Notifications sent before the page follows user:<id> would only show on the next load: wait for the subscription.
    let subscribed = false;
    page.on("websocket", (ws) =>
      ws.on("framereceived", (f) => {
        const text = typeof f.payload === "string" ? f.payload : f.payload.toString("utf8");
        if (text.includes('"subscribed"') && text.includes(`user:${user.id}`)) subscribed = true;
      }),
    );
    await signIn(page, "fr", user.username);
    // Its name starts with the count it shows (« 2 — notifications non lues »), else « Notifications ».
    const bell = () => page.getByRole("banner").getByRole("button", { name: /notifications/i });
    await expect.poll(async () => bell().getAttribute("aria-label")).toBe(tr("fr", "notifications.bell"));
    await expect.poll(() => subscribed, { timeout: 10_000 }).toBe(true);

    const send = (n: number, link: string) =>
      server.kernel.notifications.send({
        recipients: [user.id],
        kind: "test.mention",
        actorId: null,
        title: { key: "test.unknown_key", text: `Mention numéro ${n}` },
        link,
        key: `e2e-${n}`,
      });
    await send(1, "/boards");
    await expect
      .poll(() => bell().getAttribute("aria-label"), { timeout: 10_000 })
      .toBe(tr("fr", "notifications.bellUnread", { shown: "1" }));
    await send(2, "/files");
    await expect
      .poll(() => bell().getAttribute("aria-label"), { timeout: 10_000 })
      .toBe(tr("fr", "notifications.bellUnread", { shown: "2" }));

    await bell().click();
    const centre = page.getByRole("dialog", { name: tr("fr", "notifications.title") });
    await centre.getByText("Mention numéro 2").waitFor();
    await centre.getByRole("button", { name: new RegExp(`Mention numéro 1`) }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/boards");
    await expect
      .poll(() => bell().getAttribute("aria-label"), { timeout: 10_000 })
      .toBe(tr("fr", "notifications.bellUnread", { shown: "1" }));

    await bell().click();
    await page.getByRole("button", { name: tr("fr", "notifications.markAllRead") }).click();
    await expect
      .poll(() => bell().getAttribute("aria-label"), { timeout: 10_000 })
      .toBe(tr("fr", "notifications.bell"));
    expect(
      await page.evaluate(async () => (await (await fetch("/api/notifications/unread-count")).json()) as unknown),
    ).toEqual({ unreadCount: 0 });

    // Do-not-disturb hours are saved from the settings.
    await page.goto("/settings/notifications");
    await page.getByRole("switch", { name: tr("fr", "settings.notif.dndEnabled") }).check();
    await page.getByLabel(tr("fr", "settings.notif.from"), { exact: true }).fill("21:30");
    await page
      .getByRole("button", { name: tr("fr", "app.save") })
      .last()
      .click();
    await expect
      .poll(() =>
        page.evaluate(
          async () => ((await (await fetch("/api/me/notification-preferences")).json()) as { dnd: unknown }).dnd,
        ),
      )
      .toMatchObject({ enabled: true, start: "21:30" });
    expect(foreign).toEqual([]);
    await context.close();
  });
});
