import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserAndServer, newContext } from "./src/browser.ts";
import { defaultChannel } from "./src/chat.ts";
import { fillAccountForm, greeting, signIn, tr } from "./src/shell.ts";

const env = browserAndServer();

// The browser is in New York; the profile says otherwise.
const BROWSER_ZONE = "America/New_York";

/** An instant's hour as a French reader expects it in `zone`, computed here independently of the app. */
const hour = (iso: string, zone: string) =>
  new Intl.DateTimeFormat("fr", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone }).format(
    new Date(iso),
  );

interface Shown {
  text: string;
  iso: string;
}
const read = async (time: ReturnType<Page["locator"]>): Promise<Shown> => ({
  text: (await time.textContent()) ?? "",
  iso: (await time.getAttribute("datetime")) ?? "",
});

/** The mention's time in the notification centre and on the message in the room. */
async function bothTimes(page: Page, roomId: string, words: string): Promise<{ centre: Shown; chat: Shown }> {
  await page.goto("/");
  await page
    .getByRole("banner")
    .getByRole("button", { name: /notifications/i })
    .click();
  const centre = page.getByRole("dialog", { name: tr("fr", "notifications.title") });
  const item = centre.getByRole("button").filter({ hasText: words });
  await item.waitFor();
  const inCentre = await read(item.getByTestId("notification-time"));
  await page.keyboard.press("Escape");
  await page.goto(`/chat/${roomId}`);
  const message = page.getByTestId("message").filter({ hasText: words });
  await message.waitFor();
  return { centre: inCentre, chat: await read(message.locator("time")) };
}

/** Each place shows its instant in `zone`; the same minute reads the same text in both. */
function expectSameRule(t: { centre: Shown; chat: Shown }, zone: string) {
  expect(t.chat.text).toBe(hour(t.chat.iso, zone));
  expect(t.centre.text).toBe(hour(t.centre.iso, zone));
  // The notification is written just after the message (its own instant): never a minute apart in the zone's rule.
  expect(Math.abs(Date.parse(t.centre.iso) - Date.parse(t.chat.iso))).toBeLessThan(60_000);
  if (hour(t.centre.iso, zone) === hour(t.chat.iso, zone)) expect(t.centre.text).toBe(t.chat.text);
  expect(t.chat.text).not.toBe(hour(t.chat.iso, BROWSER_ZONE));
}

describe("one rule for times", () => {
  it("shows a mention at the same hour in the chat and the notification centre, in the profile's zone", async () => {
    const alice = await env.server.signedIn({ displayName: "Alice Martin" });
    const bruno = await env.server.signedIn({ displayName: "Bruno Petit" });
    const general = await defaultChannel(alice.client);
    await defaultChannel(bruno.client);
    expect((await alice.client.patch("/api/me", { timeZone: "Europe/Paris" })).status).toBe(200);
    const { page, context, foreign } = await newContext(env.browser, env.server.url, "fr-FR", BROWSER_ZONE);
    await signIn(page, "fr", alice.user.username);

    const sent = await bruno.client.post(`/api/chat/rooms/${general}/messages`, {
      clientKey: "point",
      text: `@${alice.user.username} le point est à quelle heure ?`,
    });
    expect(sent.status).toBe(201);
    expectSameRule(await bothTimes(page, general, "le point est"), "Europe/Paris");

    // Another zone in the profile: both places follow it, still not the browser's.
    expect((await alice.client.patch("/api/me", { timeZone: "Asia/Tokyo" })).status).toBe(200);
    expectSameRule(await bothTimes(page, general, "le point est"), "Asia/Tokyo");
    expect(foreign).toEqual([]);
    await context.close();
  });

  it("gives an account created in the browser the browser's zone for its profile", async () => {
    const inviter = await env.server.signedIn({ role: "admin" });
    const inv = await inviter.client.post<{ link: string }>("/api/invitations", {});
    const { page, context } = await newContext(env.browser, env.server.url, "fr-FR", BROWSER_ZONE);
    const link = new URL(inv.body.link);
    await page.goto(link.pathname + link.hash);
    await fillAccountForm(page, "fr", { username: "chloe", displayName: "Chloé Roux", email: "chloe@example.org" });
    await greeting(page, "fr", "Chloé Roux");
    const me = () =>
      page.evaluate(async () => ((await (await fetch("/api/me")).json()) as { user: { timeZone: string } }).user);
    await expect.poll(async () => (await me()).timeZone).toBe(BROWSER_ZONE);
    await context.close();
  });
});
