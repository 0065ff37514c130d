import { describe, expect, it } from "vitest";
import { browserAndServer } from "./src/browser.ts";
import { composer, ct, defaultChannel, focusedMessage, messages, openRoom, person } from "./src/chat.ts";
import { expectVisibleFocus } from "./src/a11y.ts";

const env = browserAndServer();

describe("the message list by keyboard (issue 16)", () => {
  it("moves between messages with the arrows, opens their actions, reacts and replies in a thread", async () => {
    const alice = await person(env.browser, env.server, "Alice Martin");
    const general = await defaultChannel(alice.api);
    for (const [i, text] of ["Premier message", "Deuxième message", "Troisième message"].entries())
      expect((await alice.api.post(`/api/chat/rooms/${general}/messages`, { clientKey: `kb-${i}`, text })).status).toBe(
        201,
      );
    const page = alice.page;
    await openRoom(page, general);
    await messages(page, "Troisième message").waitFor();
    // Every message's toolbar is in the page (not display:none), for screen readers and Shift+Tab.
    const displays = await page
      .getByTestId("message-actions")
      .evaluateAll((els) => els.map((el) => getComputedStyle(el).display));
    expect(displays.length).toBeGreaterThanOrEqual(3);
    expect(displays.filter((d) => d === "none")).toEqual([]);

    // The list is a Tab stop; ↑ enters it at the latest message, then the arrows and Home/End walk it.
    await page.getByRole("log", { name: ct("room.messages") }).focus();
    await page.keyboard.press("ArrowUp");
    await expectVisibleFocus(page, "↑ into the list");
    expect(await focusedMessage(page)).toBe("Troisième message");
    await page.keyboard.press("ArrowUp");
    expect(await focusedMessage(page)).toBe("Deuxième message");
    await expectVisibleFocus(page, "↑");
    await page.keyboard.press("End");
    expect(await focusedMessage(page)).toBe("Troisième message");
    await page.keyboard.press("ArrowDown");
    expect(await focusedMessage(page)).toBe("Troisième message");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Home");
    await expect.poll(() => focusedMessage(page)).not.toBe("");

    // Shift+F10 opens the message's « More actions » menu; Esc closes it, the focus back in the message.
    await page.keyboard.press("End");
    await page.keyboard.press("Shift+F10");
    await page.getByRole("menuitem", { name: ct("message.quote") }).waitFor();
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByRole("menu").count()).toBe(0);
    await expectVisibleFocus(page, "menu closed");
    expect(await focusedMessage(page)).toBe("Troisième message");
    // Back on the message itself, as before the menu.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("message");

    // React: Tab from the message reaches « Réagir » (shown on focus); the picker is a named dialog walked with
    // the arrows.
    await page.keyboard.press("Tab");
    const react = messages(page, "Troisième message").getByRole("button", { name: ct("message.react") });
    await expect.poll(() => react.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await react.evaluate((el) => getComputedStyle(el.parentElement!).opacity)).toBe("1");
    await expectVisibleFocus(page, "Réagir");
    await page.keyboard.press("Enter");
    const picker = page.getByRole("dialog", { name: ct("emoji.title") });
    await picker.waitFor();
    await page.keyboard.press("Tab");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    const chosen = await page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? "");
    expect(chosen).toMatch(/^:[a-z0-9_+-]+:$/);
    await expectVisibleFocus(page, "emoji");
    await page.keyboard.press("Enter");
    await messages(page, "Troisième message").getByTestId("reactions").waitFor();
    await expect.poll(() => picker.count()).toBe(0);
    // The focus came back to the button that opened the picker.
    await expect.poll(() => react.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectVisibleFocus(page, "picker closed");

    // Reply in a thread: the focus goes to the thread's composer; Esc closes it and returns to the message.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    const panel = page.getByTestId("thread-panel");
    await panel.waitFor();
    await expect.poll(() => panel.getByTestId("composer").evaluate((el) => el === document.activeElement)).toBe(true);
    await expectVisibleFocus(page, "thread composer");
    await page.keyboard.type("Une réponse au clavier");
    await page.keyboard.press("Enter");
    await panel.getByTestId("message").filter({ hasText: "Une réponse au clavier" }).waitFor();
    await page.keyboard.press("Escape");
    await expect.poll(() => panel.count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("message");
    expect(await focusedMessage(page)).toBe("Troisième message");
    await expectVisibleFocus(page, "thread closed");
    expect(await composer(page).count()).toBe(1);
  });
});
