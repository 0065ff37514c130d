import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { expectVisibleFocus, focusState } from "./src/a11y.ts";
import { browserAndServer, newContext } from "./src/browser.ts";
import { ct, focusedMessage, messages } from "./src/chat.ts";
import { PASSWORD, serviceNav, tr } from "./src/shell.ts";

/**
 * A keyboard-only agent's day, from sign-in to sign-out, without the mouse (issue 16): after every step the
 * focus is somewhere (never `<body>`) and visible (a ring at 3:1 or more on what is behind it).
 */
const env = browserAndServer();

/** Is the focus on (or, unless `exact`, inside) what `target` finds? Does not wait for it to exist. */
const holds = (target: Locator, exact = false) =>
  target.evaluateAll(
    (els, on) => els.some((el) => el === document.activeElement || (!on && el.contains(document.activeElement))),
    exact,
  );

/** Presses `key` until the focus reaches `target`, checking that it never falls to `<body>` on the way. */
async function pressTo(page: Page, key: string, target: Locator, step: string, max = 80, exact = false) {
  for (let i = 0; i < max; i++) {
    if (await holds(target, exact)) {
      await expectVisibleFocus(page, step);
      return;
    }
    await page.keyboard.press(key);
    // A focus lost with a removed element is put back by the shell a moment later (useFocusRescue): wait for that.
    await expect
      .poll(async () => (await focusState(page)).target, {
        timeout: 5_000,
        message: `${step}: ${key} #${i + 1} dropped the focus`,
      })
      .not.toBe("body");
  }
  throw new Error(`${step}: ${max} × ${key} never reached the target (focus on ${(await focusState(page)).target})`);
}

describe("a keyboard-only walk from sign-in to sign-out (issue 16)", () => {
  it("signs in, posts, edits, reacts, replies in a thread, deletes, searches, opens the notification centre and the room's settings, signs out", async () => {
    const { server } = env;
    const alice = await server.createUser({ displayName: "Alice Martin" });
    const bob = await server.signedIn({ displayName: "Bruno Petit" });
    const room = await bob.client.post<{ id: string }>("/api/chat/rooms", {
      type: "channel",
      slug: "projet-tramway",
      memberIds: [alice.id],
    });
    expect(room.status).toBe(201);
    const bobSays = await bob.client.post<{ id: string }>(`/api/chat/rooms/${room.body.id}/messages`, {
      clientKey: "walk-1",
      text: "Les horaires de la ligneT7 changent lundi",
    });
    expect(bobSays.status).toBe(201);
    const { page, context } = await newContext(env.browser, server.url);
    page.setDefaultTimeout(30_000);

    // Sign in: the login field has the focus; Tab to the password, Enter; the focus lands on the home heading.
    await page.goto("/sign-in");
    await expect.poll(() => focusState(page).then((f) => f.target)).not.toBe("body");
    await page.keyboard.type(alice.username);
    await pressTo(page, "Tab", page.getByRole("textbox", { name: tr("fr", "auth.password"), exact: true }), "password");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: tr("fr", "home.greeting", { name: "Alice Martin" }) }).waitFor();
    await expectVisibleFocus(page, "signed in");

    // Open the chat from the navigation, then the room from the chat's list.
    // The navigation comes before the page's content: back from the heading.
    await pressTo(page, "Shift+Tab", page.getByRole("link", { name: serviceNav("fr", "chat"), exact: true }), "nav");
    await page.keyboard.press("Enter");
    await page.getByTestId("composer").waitFor();
    await expectVisibleFocus(page, "chat opened");
    await pressTo(page, "Shift+Tab", page.getByRole("link", { name: /projet-tramway/ }), "room link");
    await page.keyboard.press("Enter");
    await page.getByTestId("room-title").filter({ hasText: "projet-tramway" }).waitFor();
    await expectVisibleFocus(page, "room opened");

    // Post.
    const composer = page.getByTestId("composer");
    await pressTo(page, "Tab", composer, "composer");
    await page.keyboard.type("Je passe au bureau à 9 h");
    await page.keyboard.press("Enter");
    await messages(page, "Je passe au bureau à 9 h").waitFor();
    await expectVisibleFocus(page, "posted");

    // Edit one's last message: ↑ in the empty composer, then Enter to save; the focus comes back to the composer.
    await page.keyboard.press("ArrowUp");
    await page.getByTestId("edit-box").waitFor();
    await expectVisibleFocus(page, "editing");
    await page.keyboard.press("End");
    await page.keyboard.type(" et demi");
    await page.keyboard.press("Enter");
    await messages(page, "Je passe au bureau à 9 h et demi").waitFor();
    await expect.poll(() => page.getByTestId("edit-box").count()).toBe(0);
    await expect.poll(() => holds(composer)).toBe(true);
    await expectVisibleFocus(page, "edited");

    // Move between messages with the arrows: from the list (Shift+Tab), ↑ to the latest, ↑ again to Bob's.
    // Back past the messages' own controls to the list itself (one Tab stop).
    await pressTo(page, "Shift+Tab", page.getByRole("log", { name: ct("room.messages") }), "message list", 80, true);
    await page.keyboard.press("ArrowUp");
    // (the message's text ends with « (modifié) »)
    expect(await focusedMessage(page)).toContain("Je passe au bureau à 9 h et demi");
    await page.keyboard.press("ArrowUp");
    expect(await focusedMessage(page)).toBe("Les horaires de la ligneT7 changent lundi");
    await expectVisibleFocus(page, "on Bob's message");

    // React to Bob's message: Tab to « Réagir », Enter, the arrows in the grid, Enter; the focus back on « Réagir ».
    const bobs = messages(page, "ligneT7");
    await pressTo(page, "Tab", bobs.getByRole("button", { name: ct("message.react") }), "Réagir");
    await page.keyboard.press("Enter");
    const picker = page.getByRole("dialog", { name: ct("emoji.title") });
    await picker.waitFor();
    await expect.poll(() => holds(picker)).toBe(true);
    await expectVisibleFocus(page, "picker open");
    await page.keyboard.press("Tab");
    await page.keyboard.press("ArrowRight");
    await expectVisibleFocus(page, "emoji chosen");
    await page.keyboard.press("Enter");
    await bobs.getByTestId("reactions").waitFor();
    await expect.poll(() => picker.count()).toBe(0);
    await expectVisibleFocus(page, "reacted");

    // Reply in its thread: the focus goes to the thread's composer; the reply is announced; Esc closes the thread.
    await pressTo(page, "Tab", bobs.getByRole("button", { name: ct("message.replyInThread") }), "reply in thread");
    await page.keyboard.press("Enter");
    const panel = page.getByTestId("thread-panel");
    await expect.poll(() => holds(panel.getByTestId("composer"))).toBe(true);
    await expectVisibleFocus(page, "thread composer");
    await page.keyboard.type("Merci pour l'info");
    await page.keyboard.press("Enter");
    await panel.getByTestId("message").filter({ hasText: "Merci pour l'info" }).waitFor();
    await expect.poll(() => panel.getByTestId("thread-announcer").textContent()).toContain("Merci pour l'info");
    await page.keyboard.press("Escape");
    await expect.poll(() => panel.count()).toBe(0);
    expect(await focusedMessage(page)).toBe("Les horaires de la ligneT7 changent lundi");
    await expectVisibleFocus(page, "thread closed");

    // Delete one's own message: ↓ to it, Shift+F10, « Supprimer », confirm; the focus stays in the list.
    await page.keyboard.press("ArrowDown");
    expect(await focusedMessage(page)).toContain("Je passe au bureau à 9 h et demi");
    await page.keyboard.press("Shift+F10");
    await pressTo(page, "ArrowDown", page.getByRole("menuitem", { name: ct("message.delete") }), "Supprimer", 15);
    await page.keyboard.press("Enter");
    const confirm = page.getByRole("dialog", { name: ct("message.deleteTitle") });
    await confirm.waitFor();
    await pressTo(page, "Tab", confirm.getByRole("button", { name: ct("message.delete") }), "confirm delete", 6);
    await page.keyboard.press("Enter");
    await expect.poll(() => messages(page, "Je passe au bureau").count()).toBe(0);
    await expectVisibleFocus(page, "deleted");

    // Search and jump to a result: Ctrl+K, type, Enter; the focus lands on the message found.
    await page.keyboard.press("Control+K");
    const search = page.getByRole("combobox", { name: tr("fr", "search.label") });
    await expect.poll(() => holds(search)).toBe(true);
    await page.keyboard.type("ligneT7");
    await page.getByRole("option", { name: /ligneT7/ }).waitFor();
    // The focus stays in the field; the arrows move the active option (aria-activedescendant).
    const found = page.getByRole("option", { name: /ligneT7/, selected: true });
    for (let i = 0; i < 10 && (await found.count()) === 0; i++) await page.keyboard.press("ArrowDown");
    expect(await found.count()).toBe(1);
    await expectVisibleFocus(page, "search field");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("dialog").count()).toBe(0);
    await expect.poll(() => focusedMessage(page)).toBe("Les horaires de la ligneT7 changent lundi");
    await expectVisibleFocus(page, "jumped to the result");

    // The notification centre: open with Enter, close with Esc, the focus back on the bell.
    const bell = page.getByRole("button", { name: tr("fr", "notifications.bell") });
    await pressTo(page, "Shift+Tab", bell, "bell");
    await page.keyboard.press("Enter");
    const centre = page.getByRole("dialog", { name: tr("fr", "notifications.title") });
    await centre.waitFor();
    await expect.poll(() => holds(centre)).toBe(true);
    await expectVisibleFocus(page, "notification centre");
    await page.keyboard.press("Escape");
    await expect.poll(() => centre.count()).toBe(0);
    await expect.poll(() => holds(bell)).toBe(true);
    await expectVisibleFocus(page, "notification centre closed");

    // The room's settings from its « ⋯ » menu; Esc closes them and the focus returns to the menu's button.
    const roomMenu = page.getByTestId("room-menu");
    await pressTo(page, "Tab", roomMenu, "room menu");
    await page.keyboard.press("Enter");
    await pressTo(page, "ArrowDown", page.getByRole("menuitem", { name: ct("roomSettings.open") }), "settings", 10);
    await page.keyboard.press("Enter");
    const settings = page.getByRole("dialog", { name: new RegExp(`^${ct("roomSettings.title", { room: "" })}`) });
    await settings.waitFor();
    await expect.poll(() => holds(settings)).toBe(true);
    await expectVisibleFocus(page, "room settings");
    await page.keyboard.press("Escape");
    await expect.poll(() => settings.count()).toBe(0);
    await expect.poll(() => holds(roomMenu)).toBe(true);
    await expectVisibleFocus(page, "room settings closed");

    // Sign out from the user menu; the sign-in page has the focus.
    await pressTo(page, "Shift+Tab", page.getByTestId("user-menu"), "user menu");
    await page.keyboard.press("Enter");
    await pressTo(page, "ArrowDown", page.getByRole("menuitem", { name: tr("fr", "nav.signOut") }), "sign out", 10);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: tr("fr", "auth.signInTitle", { brand: "Ensemble" }) }).waitFor();
    await expect.poll(() => focusState(page).then((f) => f.target)).not.toBe("body");
    await expectVisibleFocus(page, "signed out");
    await context.close();
  });
});
