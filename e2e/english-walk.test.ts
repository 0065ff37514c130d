import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { browserAndServer, newContext } from "./src/browser.ts";
import { SERVICES, serviceNav, signIn, tr } from "./src/shell.ts";
import { chatText, messages } from "./src/chat.ts";

/**
 * The shell and the chat in English (issue 10): a person whose language is
 * English, in an English browser, walks the chat's screens; no visible text or
 * accessible name may be a raw i18n key or read French. Only what the test
 * itself wrote (names, messages) and the services' proper names are allowed.
 */
const env = browserAndServer();
const c = (key: string, vars: Record<string, string | number> = {}) => chatText("en", key, vars);
const t = (key: string, vars: Record<string, string> = {}) => tr("en", key, vars);

/** Proper names: the product's and its services' (French words that stay as they are in English). */
const PROPER_NAMES = ["Ensemble", ...SERVICES.map((s) => serviceNav("en", s))];
/** French letters and marks, and common words of the French texts that have no place in English. */
const FRENCH =
  /[éèêàâçùûôîœ«»]|\b(Salons?|Rechercher|Envoyer|Annuler|Paramètres|Fermer|Enregistrer|Répondre|Aucune?|Créer|Membres|Quitter|Bonjour|résultats?|Ajouter|Supprimer|Modifier|Fil)\b/;
/** A dotted identifier (`services.chat.title`, `chat.mention`) or an unfilled {{placeholder}}. */
const RAW_KEY = /\b[a-z][a-zA-Z0-9_]+(?:\.[a-zA-Z][a-zA-Z0-9_]+)+\b|\{\{/;

/** Every visible text and accessible name (aria-label, title, placeholder, alt) on the page, and its title. */
function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out = [document.title];
    const shown = (el: Element | null) =>
      !!el && el.checkVisibility({ visibilityProperty: true, opacityProperty: false });
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent?.trim();
      if (text && shown(n.parentElement) && !n.parentElement?.closest("script,style,noscript")) out.push(text);
    }
    for (const el of document.querySelectorAll("[aria-label],[title],[placeholder],[alt]"))
      if (shown(el))
        for (const a of ["aria-label", "title", "placeholder", "alt"]) {
          const v = el.getAttribute(a)?.trim();
          if (v) out.push(v);
        }
    return out;
  });
}

describe("the chat in English", () => {
  it("shows no raw key and no French on any of its screens", async () => {
    const alice = await env.server.signedIn({ displayName: "Alice Martin" });
    const bob = await env.server.signedIn({ displayName: "Bruno Petit" });
    expect((await alice.client.patch("/api/me", { locale: "en" })).status).toBe(200);
    const room = await bob.client.post<{ id: string }>("/api/chat/rooms", {
      type: "channel",
      slug: "tram-project",
      name: "Tram project",
      topic: "Northern line works",
      memberIds: [alice.user.id],
    });
    expect(room.status).toBe(201);
    const post = (text: string, parentId?: string) =>
      bob.client.post<{ id: string }>(`/api/chat/rooms/${room.body.id}/messages`, {
        clientKey: text,
        text,
        ...(parentId ? { parentId } : {}),
      });
    const root = await post("The viaduct survey is ready :tada:");
    expect(root.status).toBe(201);
    expect((await post("Thanks, reading it tonight", root.body.id)).status).toBe(201);
    expect((await post(`@${alice.user.username} could you check the timetable?`)).status).toBe(201);
    // Everything the test wrote, allowed wherever it shows.
    const ours = [
      "Alice Martin",
      "Bruno Petit",
      alice.user.username,
      bob.user.username,
      "Tram project",
      "tram-project",
      "Northern line works",
      "The viaduct survey is ready",
      "Thanks, reading it tonight",
      "could you check the timetable?",
      "Looks good to me",
    ];

    const { page, foreign } = await newContext(env.browser, env.server.url, "en-GB");
    const found: string[] = [];
    const walk = async (screen: string) => {
      expect(await page.evaluate(() => document.documentElement.lang), screen).toBe("en");
      for (let text of await visibleTexts(page)) {
        for (const allowed of [...ours, ...PROPER_NAMES]) text = text.split(allowed).join(" ");
        text = text.replace(/\S+@\S+|https?:\/\/\S+/g, " ");
        const bad = FRENCH.exec(text)?.[0] ?? RAW_KEY.exec(text)?.[0];
        if (bad) found.push(`${screen}: « ${bad} » in « ${text.trim().slice(0, 80)} »`);
      }
    };
    const dialog = (name: string) => page.getByRole("dialog", { name });
    const closeDialog = async (d: Locator) => {
      await page.keyboard.press("Escape");
      await expect.poll(() => d.count()).toBe(0);
    };

    // A first visit from an English browser: English, whatever the organisation's default.
    await page.goto("/sign-in");
    await page.getByRole("button", { name: t("auth.signIn"), exact: true }).waitFor();
    await walk("sign-in");
    await signIn(page, "en", alice.user.username);
    await walk("home");

    // The bell's list.
    const bell = page.getByRole("banner").getByRole("button", { name: /notifications/i });
    await expect
      .poll(() => bell.getAttribute("aria-label"), { timeout: 10_000 })
      .toBe(t("notifications.bellUnread", { shown: "1" }));
    await bell.click();
    await dialog(t("notifications.title"))
      .getByRole("button", { name: /Bruno Petit/ })
      .waitFor();
    await walk("notifications");
    await closeDialog(dialog(t("notifications.title")));

    // A room with messages, and its thread.
    await page.goto(`/chat/${room.body.id}`);
    await messages(page, "could you check the timetable?").waitFor();
    await walk("room");
    const rootMessage = messages(page, "The viaduct survey is ready");
    await rootMessage.hover();
    await rootMessage.getByRole("button", { name: c("message.replyInThread") }).click();
    const thread = page.getByTestId("thread-panel");
    await thread.getByTestId("message").filter({ hasText: "Thanks, reading it tonight" }).waitFor();
    await walk("thread");
    await thread.getByRole("button", { name: c("thread.close") }).click();
    await expect.poll(() => thread.count()).toBe(0);

    // Slash commands and the emoji picker, from the composer.
    const composer = page.getByTestId("composer");
    await composer.fill("/");
    await page.getByRole("option", { name: /\/shrug/ }).waitFor();
    await walk("slash commands");
    await composer.fill("");
    await page.getByRole("button", { name: c("composer.emoji") }).click();
    const picker = page.getByTestId("emoji-picker");
    await picker.getByRole("group").first().waitFor();
    await walk("emoji picker");
    await picker.getByRole("textbox", { name: c("emoji.search") }).fill("heart");
    await picker.getByRole("button", { name: ":heart:" }).waitFor();
    await walk("emoji picker, searched");
    await closeDialog(picker);

    // The room's settings, tab by tab.
    await page.getByTestId("room-menu").click();
    await page.getByRole("menuitem", { name: c("roomSettings.open") }).click();
    const settings = page.getByRole("dialog").filter({ has: page.getByRole("tab") });
    for (const tab of ["general", "members", "archive"]) {
      await settings.getByRole("tab", { name: c(`roomSettings.tabs.${tab}`) }).click();
      await settings.getByRole("tab", { name: c(`roomSettings.tabs.${tab}`), selected: true }).waitFor();
      await walk(`room settings: ${tab}`);
    }
    await closeDialog(settings);

    // Creating a room, the channel directory.
    await page.getByRole("button", { name: c("sidebar.create") }).click();
    await dialog(c("create.title")).getByRole("textbox").first().waitFor();
    await walk("create a room");
    await closeDialog(dialog(c("create.title")));
    await page.getByRole("button", { name: c("sidebar.browse") }).click();
    await dialog(c("directory.title")).getByText("tram-project").first().waitFor();
    await walk("channel directory");
    await closeDialog(dialog(c("directory.title")));

    // The search: a message and its room.
    await expect
      .poll(
        async () => (await alice.client.get<{ items: unknown[] }>("/api/chat/search?q=viaduct")).body.items.length,
        {
          timeout: 15_000,
        },
      )
      .toBe(1);
    await page.keyboard.press("Control+k");
    const search = dialog(t("search.title"));
    await search.getByRole("combobox", { name: t("search.label") }).fill("viaduct");
    await search.getByRole("option").filter({ hasText: "viaduct" }).first().waitFor();
    await walk("search");
    await closeDialog(search);

    // The notification settings.
    await page.goto("/settings/notifications");
    await page.getByRole("columnheader", { name: t("settings.notif.kind") }).waitFor();
    await walk("notification settings");

    expect(found).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
