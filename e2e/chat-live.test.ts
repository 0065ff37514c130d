import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { launchChromium } from "./src/browser.ts";
import {
  composer,
  ct,
  defaultChannel,
  expectCount,
  messages,
  openRoom,
  person,
  send,
  type Person,
} from "./src/chat.ts";

let browser: Browser;
let server: TestServer;
let alice: Person;
let bob: Person;
let general: string;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  alice = await person(browser, server, "Alice Martin");
  bob = await person(browser, server, "Bruno Petit");
  general = await defaultChannel(alice.api);
  await defaultChannel(bob.api);
  await openRoom(alice.page, general);
  await openRoom(bob.page, general);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("Discutons in two browsers at once", () => {
  it("delivers a message live, with markdown rendered safely", async () => {
    await send(alice.page, "Bonjour **tout le monde** <img src=x onerror=alert(1)> :tada:");
    const seen = messages(bob.page, "Bonjour");
    await seen.waitFor();
    await expect.poll(() => seen.locator("strong").textContent()).toBe("tout le monde");
    expect(await seen.textContent()).toContain("🎉");
    // Raw HTML stays text.
    expect(await seen.locator("img").count()).toBe(0);
    expect(await seen.textContent()).toContain("<img src=x onerror=alert(1)>");
    await expectCount(alice.page, "Bonjour", 1);
  });

  it("shows who is typing", async () => {
    await composer(bob.page).pressSequentially("Je réponds");
    await expect
      .poll(() => alice.page.getByTestId("typing").textContent(), { timeout: 10_000 })
      .toContain("Bruno Petit");
    await composer(bob.page).press("Enter");
    await messages(alice.page, "Je réponds").waitFor();
  });

  it("toggles a reaction and shows it to the other person", async () => {
    const mine = messages(bob.page, "Bonjour");
    await mine.hover();
    await mine.getByRole("button", { name: ct("message.react") }).click();
    await bob.page.getByTestId("emoji-picker").getByRole("button", { name: ":+1:" }).first().click();
    const onAlice = messages(alice.page, "Bonjour").locator('[data-emoji="+1"]');
    await expect.poll(() => onAlice.textContent(), { timeout: 10_000 }).toContain("1");
    // Alice adds hers by clicking the same reaction: two.
    await onAlice.click();
    await expect.poll(() => messages(bob.page, "Bonjour").locator('[data-emoji="+1"]').textContent()).toContain("2");
    await expect.poll(() => onAlice.getAttribute("aria-pressed")).toBe("true");
  });

  it("edits the last own message with the Up arrow", async () => {
    await send(alice.page, "Réunion à 10h");
    await messages(bob.page, "Réunion à 10h").waitFor();
    await composer(alice.page).press("ArrowUp");
    const box = alice.page.getByTestId("edit-box");
    await box.fill("Réunion à 11h");
    await box.press("Enter");
    const onBob = messages(bob.page, "Réunion à 11h");
    await onBob.waitFor();
    await onBob.getByTestId("edited").waitFor();
    await expectCount(bob.page, "Réunion à 10h", 0);
  });

  it("deletes a message after confirmation, leaving a tombstone", async () => {
    await send(alice.page, "Message à effacer");
    await messages(bob.page, "Message à effacer").waitFor();
    const m = messages(alice.page, "Message à effacer");
    await m.hover();
    await m.getByRole("button", { name: ct("message.more") }).click();
    await alice.page.getByRole("menuitem", { name: ct("message.delete") }).click();
    await alice.page
      .getByRole("dialog")
      .getByRole("button", { name: ct("message.delete") })
      .click();
    await expectCount(bob.page, "Message à effacer", 0);
    await expect.poll(() => bob.page.getByTestId("message-deleted").count()).toBeGreaterThan(0);
  });

  it("replies in a thread, seen live in the other person's thread panel", async () => {
    await send(alice.page, "Qui vient au séminaire ?");
    const root = messages(bob.page, "Qui vient au séminaire");
    await root.waitFor();
    await root.hover();
    await root.getByRole("button", { name: ct("message.replyInThread") }).click();
    const panel = bob.page.getByTestId("thread-panel");
    await panel.getByTestId("composer").fill("Moi !");
    await panel.getByTestId("composer").press("Enter");
    await panel.getByTestId("message").filter({ hasText: "Moi !" }).waitFor();
    // Alice sees the reply count and opens the thread.
    const summary = messages(alice.page, "Qui vient au séminaire").getByTestId("thread-summary");
    await expect.poll(() => summary.textContent(), { timeout: 10_000 }).toBe(ct("thread.replies_one", { count: 1 }));
    await summary.click();
    await alice.page.getByTestId("thread-panel").getByTestId("message").filter({ hasText: "Moi !" }).waitFor();
    // A reply stays in its thread: not in the room's history.
    await expectCount(alice.page, "Moi !", 1);
    // Both see a new reply live.
    await alice.page.getByTestId("thread-panel").getByTestId("composer").fill("Moi aussi");
    await alice.page.getByTestId("thread-panel").getByTestId("composer").press("Enter");
    await panel.getByTestId("message").filter({ hasText: "Moi aussi" }).waitFor();
  });

  it("lists the room's threads in its header, latest reply first; one opens its panel", async () => {
    await openRoom(alice.page, general);
    await alice.page.getByTestId("room-threads").click();
    const item = alice.page
      .getByTestId("room-threads-list")
      .getByRole("menuitem")
      .filter({ hasText: "Qui vient au séminaire" });
    await item.waitFor();
    expect(await item.textContent()).toContain(ct("thread.replies_other", { count: 2 }));
    await item.click();
    await alice.page.getByTestId("thread-panel").getByTestId("message").filter({ hasText: "Moi aussi" }).waitFor();
  });

  it("lists saved messages and followed threads, each opening the message in place", async () => {
    const m = messages(bob.page, "Réunion à 11h");
    await m.hover();
    await m.getByRole("button", { name: ct("message.more") }).click();
    await bob.page.getByRole("menuitem", { name: ct("message.save") }).click();
    await bob.page.getByText(ct("message.saved")).first().waitFor();
    await bob.page.getByRole("button", { name: ct("lists.saved") }).click();
    await bob.page.getByTestId("lists").getByText("Réunion à 11h").click();
    await expect.poll(() => messages(bob.page, "Réunion à 11h").getAttribute("class")).toContain("chat-highlight");
    await bob.page.getByRole("button", { name: ct("lists.threads") }).click();
    await bob.page.getByTestId("lists").getByText("Qui vient au séminaire").click();
    await bob.page.getByTestId("thread-panel").getByTestId("message").filter({ hasText: "Moi aussi" }).waitFor();
  });

  it("completes @mentions, keeps the draft on the server, switches rooms with Alt+arrows", async () => {
    const r = await alice.api.post<{ id: string }>("/api/chat/rooms", {
      type: "channel",
      slug: "equipe",
      memberIds: [bob.id],
    });
    expect(r.status).toBe(201);
    const equipe = r.body.id;
    await openRoom(alice.page, general);
    await composer(alice.page).pressSequentially("@Brun");
    await alice.page.getByRole("option", { name: /Bruno Petit/ }).waitFor();
    await composer(alice.page).press("Enter");
    await expect.poll(() => composer(alice.page).inputValue()).toBe(`@${bob.username} `);
    await composer(alice.page).pressSequentially("tu as vu ?");
    await composer(alice.page).press("Enter");
    await messages(bob.page, "tu as vu ?").locator(".chat-mention-me").waitFor();

    // A draft follows the person: saved on the server when leaving the room, back after a reload.
    await composer(alice.page).fill("Brouillon à finir");
    const url = alice.page.url();
    await composer(alice.page).press("Alt+ArrowDown");
    await expect.poll(() => alice.page.url()).not.toBe(url);
    await expect
      .poll(async () => (await alice.api.get<{ text: string }>(`/api/chat/rooms/${general}/draft`)).body.text)
      .toBe("Brouillon à finir");
    await composer(alice.page).press("Alt+ArrowUp");
    await expect.poll(() => alice.page.url()).toBe(url);
    await alice.page.reload();
    await expect.poll(() => composer(alice.page).inputValue()).toBe("Brouillon à finir");
    await composer(alice.page).fill("");
    await openRoom(alice.page, equipe);
    await openRoom(bob.page, equipe);
  });

  it("asks before notifying everyone in a room above the confirmation threshold", async () => {
    const admin = await server.signedIn({ role: "admin" });
    expect((await admin.client.request("PATCH", "/api/chat/settings", { mentionAllConfirmThreshold: 1 })).status).toBe(
      200,
    );
    await send(alice.page, "@channel point à 14h");
    const dialog = alice.page.getByRole("dialog", { name: ct("composer.confirmAllTitle") });
    await dialog.getByRole("button", { name: ct("composer.confirmAllSend") }).click();
    await expectCount(bob.page, "point à 14h", 1);
    await expectCount(alice.page, "point à 14h", 1);
  });

  it("creates a channel, which another person finds in the directory and joins; opens a direct message", async () => {
    await alice.page.getByRole("button", { name: ct("sidebar.create") }).click();
    const create = alice.page.getByRole("dialog", { name: ct("create.title") });
    // A name as a person types it; the address is made from it, shown before creating.
    await create.getByRole("textbox", { name: ct("create.name") }).fill("Vélo au travail");
    await create.getByText(ct("create.address", { slug: "velo-au-travail" })).waitFor();
    await create.getByRole("button", { name: ct("create.submit") }).click();
    await expect.poll(() => alice.page.getByTestId("room-title").textContent()).toBe("#velo-au-travail");
    await send(alice.page, "Bienvenue aux cyclistes");

    await bob.page.getByRole("button", { name: ct("sidebar.browse") }).click();
    const dir = bob.page.getByRole("dialog", { name: ct("directory.title") });
    await dir.getByRole("textbox", { name: ct("directory.search") }).fill("velo");
    await dir.getByRole("button", { name: /#velo-au-travail/ }).click();
    // Readable before joining (a public channel), then joined from the room itself.
    await messages(bob.page, "Bienvenue aux cyclistes").waitFor();
    await bob.page.getByRole("button", { name: ct("room.join") }).click();
    await bob.page.getByTestId("composer").waitFor();
    await bob.page.locator('[data-testid="sidebar-room"]').filter({ hasText: "velo-au-travail" }).waitFor();

    await bob.page.getByRole("button", { name: ct("sidebar.newDirect") }).click();
    const dm = bob.page.getByRole("dialog", { name: ct("direct.title") });
    await dm.getByLabel(ct("direct.people")).fill("Alice");
    await bob.page.getByRole("option", { name: /Alice Martin/ }).click();
    // The list of people may still cover the button: the keyboard reaches it.
    await dm.getByRole("button", { name: ct("direct.open") }).press("Enter");
    await expect.poll(() => bob.page.getByTestId("room-title").textContent()).toBe("Alice Martin");
    await send(bob.page, "Un café à 15h ?");
    // Alice's sidebar gets the new conversation, unread.
    const entry = alice.page.locator('[data-testid="sidebar-room"]').filter({ hasText: "Bruno Petit" });
    await expect.poll(() => entry.getAttribute("data-unread"), { timeout: 15_000 }).toBe("1");
    await entry.click();
    await messages(alice.page, "Un café à 15h ?").waitFor();
  });
});
