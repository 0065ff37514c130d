import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import type { ChatMessage } from "../modules/chat/shared/schemas.ts";
import { launchChromium } from "./src/browser.ts";
import { composer, ct, expectCount, messages, openRoom, person, send, type Person } from "./src/chat.ts";

/**
 * The actions on a message, through the UI in French, in two (or three)
 * browsers at once: quote, forward, pin, permalink, mark unread, Esc, edit
 * with the Up arrow and its history, Alt+arrows, save for later.
 */
let browser: Browser;
let server: TestServer;
let alice: Person;
let bob: Person;
let carole: Person;
let equipe: string;
let annonces: string;

async function channel(
  api: TestClient,
  slug: string,
  memberIds: string[],
  type: "channel" | "private" = "channel",
): Promise<string> {
  const r = await api.post<{ id: string }>("/api/chat/rooms", { type, slug, memberIds });
  expect(r.status).toBe(201);
  return r.body.id;
}

async function post(api: TestClient, roomId: string, text: string): Promise<ChatMessage> {
  const r = await api.post<ChatMessage>(`/api/chat/rooms/${roomId}/messages`, {
    clientKey: `e2e-${Math.random().toString(36).slice(2)}`,
    text,
  });
  expect(r.status).toBe(201);
  return r.body;
}

/** The message whose own text (not a quote of it) contains `text`. */
const own = (p: Page, text: string) =>
  p.getByTestId("message").filter({ has: p.getByTestId("message-text").filter({ hasText: text }) });

/** Opens a message's "more actions" menu and picks an item. */
async function action(p: Page, text: string, item: string): Promise<void> {
  const m = own(p, text).last();
  await m.hover();
  await m.getByRole("button", { name: ct("message.more") }).click();
  await p.getByRole("menuitem", { name: ct(item) }).click();
}

const sidebarEntry = (p: Page, slug: string) => p.locator('[data-testid="sidebar-room"]').filter({ hasText: slug });

/** The text of the message that follows the "new messages" divider on screen, or null without a divider. */
const afterDivider = (p: Page) =>
  p.evaluate(() => {
    const rows = [...document.querySelectorAll('[data-testid="new-divider"], [data-testid="message"]')];
    const i = rows.findIndex((e) => e.getAttribute("data-testid") === "new-divider");
    return i < 0 ? null : (rows[i + 1]?.querySelector('[data-testid="message-text"]')?.textContent ?? "");
  });

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  alice = await person(browser, server, "Alice Martin");
  bob = await person(browser, server, "Bruno Petit");
  carole = await person(browser, server, "Carole Durand");
  // Private: Carole, outside it, must not be able to read the source of a forward.
  equipe = await channel(alice.api, "equipe", [bob.id], "private");
  // Carole is in the forward target only: she sees the forwarded snapshot, never the source room.
  annonces = await channel(alice.api, "annonces", [carole.id]);
  await openRoom(alice.page, equipe);
  await openRoom(bob.page, equipe);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("message actions in the browser", () => {
  it("quotes a message: the sent message shows the excerpt with its author, for both people", async () => {
    await post(bob.api, equipe, "Le budget 2027 est validé");
    await messages(alice.page, "Le budget 2027 est validé").waitFor();
    await action(alice.page, "Le budget 2027 est validé", "message.quote");
    await alice.page.getByText(ct("composer.quoting", { name: "Bruno Petit" }), { exact: false }).waitFor();
    await send(alice.page, "Bonne nouvelle !");
    for (const p of [alice.page, bob.page]) {
      const quote = messages(p, "Bonne nouvelle !").locator("blockquote.chat-quote");
      await expect.poll(() => quote.textContent(), { timeout: 10_000 }).toContain("Le budget 2027 est validé");
      expect(await quote.textContent()).toContain("Bruno Petit");
    }
    // The quote was used once: the composer no longer quotes.
    expect(await alice.page.getByText(ct("composer.quoting", { name: "Bruno Petit" }), { exact: false }).count()).toBe(
      0,
    );
  });

  it("forwards a message to another room, where a member who cannot read the source sees the snapshot", async () => {
    await openRoom(carole.page, annonces);
    await action(alice.page, "Le budget 2027 est validé", "message.forward");
    const dialog = alice.page.getByRole("dialog", { name: ct("message.forward") });
    await dialog.getByLabel(ct("message.forwardTo")).first().click();
    await alice.page.getByRole("option", { name: "#annonces" }).click();
    await dialog.getByRole("button", { name: ct("message.forward") }).click();
    await alice.page.getByText(ct("message.forwardedTo")).first().waitFor();
    const seen = carole.page.getByTestId("message").filter({ has: carole.page.getByTestId("forwarded") });
    await expect
      .poll(() => seen.getByTestId("forwarded").textContent(), { timeout: 15_000 })
      .toContain("Le budget 2027 est validé");
    const snapshot = (await seen.getByTestId("forwarded").textContent()) ?? "";
    expect(snapshot).toContain(ct("message.forwarded"));
    expect(snapshot).toContain("Bruno Petit");
    expect(await seen.getByTestId("message-author").textContent()).toBe("Alice Martin");
    // Carole is not in #equipe: the source stays out of her reach.
    expect((await carole.api.get(`/api/chat/rooms/${equipe}/messages`)).status).toBe(404);
  });

  it("pins a message, shown to the other person in the room's pinned list, then unpins it", async () => {
    await post(bob.api, equipe, "Ordre du jour de lundi");
    await messages(alice.page, "Ordre du jour de lundi").waitFor();
    await action(alice.page, "Ordre du jour de lundi", "message.pin");
    await expect
      .poll(() => messages(bob.page, "Ordre du jour de lundi").textContent(), { timeout: 10_000 })
      .toContain(ct("message.pinned"));
    await bob.page.getByRole("button", { name: ct("room.pins") }).click();
    const pinned = bob.page.getByRole("menuitem").filter({ hasText: "Ordre du jour de lundi" });
    await pinned.waitFor();
    // Choosing it shows the message in place.
    await pinned.click();
    await expect
      .poll(() => messages(bob.page, "Ordre du jour de lundi").getAttribute("class"))
      .toContain("chat-highlight");

    await action(alice.page, "Ordre du jour de lundi", "message.unpin");
    await expect
      .poll(() => messages(bob.page, "Ordre du jour de lundi").textContent(), { timeout: 10_000 })
      .not.toContain(ct("message.pinned"));
    await bob.page.getByRole("button", { name: ct("room.pins") }).click();
    await bob.page.getByText(ct("room.noPins")).waitFor();
    await bob.page.keyboard.press("Escape");
  });

  it("copies a message's link, which opens the message highlighted in the other browser, 200 messages back too", async () => {
    await alice.page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    const recent = await post(bob.api, equipe, "Lien vers ce message récent");
    await messages(alice.page, "Lien vers ce message récent").waitFor();
    await action(alice.page, "Lien vers ce message récent", "message.copyLink");
    await alice.page.getByText(ct("message.linkCopied")).first().waitFor();
    const link = await alice.page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(`${server.url}/chat/${equipe}?message=${recent.id}`);
    await bob.page.goto(link);
    await expect
      .poll(() => messages(bob.page, "Lien vers ce message récent").getAttribute("class"), { timeout: 10_000 })
      .toContain("chat-highlight");

    // A message far back: 200 newer ones are seeded through the API.
    const archive = await channel(bob.api, "archives", [alice.id]);
    const old = await post(bob.api, archive, "Compte rendu de janvier");
    for (let b = 0; b < 200; b += 20)
      await Promise.all(Array.from({ length: 20 }, (_, i) => post(bob.api, archive, `remplissage ${b + i}`)));
    // Alice reaches it from the latest page by its permalink, then copies the link there.
    await alice.page.goto(`/chat/${archive}?message=${old.id}`);
    await expect
      .poll(() => messages(alice.page, "Compte rendu de janvier").getAttribute("class"), { timeout: 15_000 })
      .toContain("chat-highlight");
    await action(alice.page, "Compte rendu de janvier", "message.copyLink");
    const oldLink = await alice.page.evaluate(() => navigator.clipboard.readText());
    expect(oldLink).toBe(`${server.url}/chat/${archive}?message=${old.id}`);
    await openRoom(bob.page, archive);
    await messages(bob.page, "remplissage 199").waitFor();
    expect(await messages(bob.page, "Compte rendu de janvier").count()).toBe(0);
    await bob.page.goto(oldLink);
    const target = messages(bob.page, "Compte rendu de janvier");
    await expect.poll(() => target.getAttribute("class"), { timeout: 15_000 }).toContain("chat-highlight");
    expect(await target.isVisible()).toBe(true);
    await openRoom(alice.page, equipe);
    await openRoom(bob.page, equipe);
  });

  it("marks a room unread from a message: the sidebar count and the divider come back there; Esc reads it all", async () => {
    for (const n of [1, 2, 3]) await post(bob.api, equipe, `Point ${n} de la réunion`);
    await messages(alice.page, "Point 3 de la réunion").waitFor();
    await expect
      .poll(() => sidebarEntry(alice.page, "equipe").getAttribute("data-unread"), { timeout: 10_000 })
      .toBe("0");
    await action(alice.page, "Point 2 de la réunion", "message.markUnread");
    await expect
      .poll(() => sidebarEntry(alice.page, "equipe").getAttribute("data-unread"), { timeout: 10_000 })
      .toBe("2");
    await expect.poll(() => afterDivider(alice.page), { timeout: 10_000 }).toContain("Point 2 de la réunion");
    // Still unread while the room stays open at the bottom: the server agrees.
    await expect
      .poll(
        async () =>
          (await alice.api.get<{ membership: { unread: number } }>(`/api/chat/rooms/${equipe}`)).body.membership.unread,
      )
      .toBe(2);

    await composer(alice.page).press("Escape");
    await expect.poll(() => sidebarEntry(alice.page, "equipe").getAttribute("data-unread")).toBe("0");
    await expect.poll(() => alice.page.getByTestId("new-divider").count()).toBe(0);
    await expect
      .poll(
        async () =>
          (await alice.api.get<{ membership: { unread: number } }>(`/api/chat/rooms/${equipe}`)).body.membership.unread,
      )
      .toBe(0);
  });

  it("shows unread messages under a divider on arrival, and Esc in the composer removes it", async () => {
    await openRoom(alice.page, annonces);
    await post(bob.api, equipe, "Arrivé pendant l’absence (1)");
    await post(bob.api, equipe, "Arrivé pendant l’absence (2)");
    await expect
      .poll(() => sidebarEntry(alice.page, "equipe").getAttribute("data-unread"), { timeout: 15_000 })
      .toBe("2");
    await sidebarEntry(alice.page, "equipe").click();
    await expect.poll(() => afterDivider(alice.page), { timeout: 10_000 }).toContain("Arrivé pendant l’absence (1)");
    await expect.poll(() => sidebarEntry(alice.page, "equipe").getAttribute("data-unread")).toBe("0");
    await composer(alice.page).click();
    await composer(alice.page).press("Escape");
    await expect.poll(() => alice.page.getByTestId("new-divider").count()).toBe(0);
  });

  it("edits the last own message with the Up arrow; the other person opens its earlier version from « modifié »", async () => {
    await send(alice.page, "Rendez-vous à 10h");
    await messages(bob.page, "Rendez-vous à 10h").waitFor();
    await composer(alice.page).press("ArrowUp");
    const box = alice.page.getByTestId("edit-box");
    await expect.poll(() => box.inputValue()).toBe("Rendez-vous à 10h");
    await box.fill("Rendez-vous à 11h");
    await box.press("Enter");
    const onBob = messages(bob.page, "Rendez-vous à 11h");
    await onBob.getByTestId("edited").waitFor();
    await expectCount(bob.page, "Rendez-vous à 10h", 0);
    await onBob.getByRole("button", { name: ct("actions.editHistory") }).click();
    const history = bob.page.getByTestId("edit-history");
    await history.getByTestId("edit-version").first().waitFor();
    expect(await history.getByTestId("edit-version").count()).toBe(1);
    expect(await history.textContent()).toContain("Rendez-vous à 10h");
    await bob.page.keyboard.press("Escape");
  });

  it("switches rooms with Alt+Up and Alt+Down, in the sidebar's order", async () => {
    await openRoom(alice.page, equipe);
    const order = await alice.page
      .locator('[data-testid="sidebar-room"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-room-id")));
    const at = order.indexOf(equipe);
    const roomAt = (i: number) => order[(i + order.length) % order.length];
    const url = (id: string | null | undefined) => `${server.url}/chat/${id}`;
    await composer(alice.page).press("Alt+ArrowDown");
    await expect.poll(() => alice.page.url()).toBe(url(roomAt(at + 1)));
    // Pressed again at once: from the room now shown, not the one before.
    await composer(alice.page).press("Alt+ArrowDown");
    await expect.poll(() => alice.page.url()).toBe(url(roomAt(at + 2)));
    await composer(alice.page).press("Alt+ArrowUp");
    await composer(alice.page).press("Alt+ArrowUp");
    await expect.poll(() => alice.page.url()).toBe(url(equipe));
    await composer(alice.page).press("Alt+ArrowUp");
    await expect.poll(() => alice.page.url()).toBe(url(roomAt(at - 1)));
  });

  it("saves a message for later, listed in the saved messages", async () => {
    await openRoom(bob.page, equipe);
    await post(alice.api, equipe, "Ordre du jour de mardi");
    await messages(bob.page, "Ordre du jour de mardi").waitFor();
    await action(bob.page, "Ordre du jour de mardi", "message.save");
    await bob.page.getByText(ct("message.saved")).first().waitFor();
    await bob.page.getByRole("button", { name: ct("lists.saved") }).click();
    await bob.page.getByTestId("lists").getByText("Ordre du jour de mardi").waitFor();
    const saved = await bob.api.get<{ items: { message: ChatMessage }[] }>("/api/chat/saved");
    expect(saved.body.items.map((s) => s.message.text)).toContain("Ordre du jour de mardi");
  });
});
