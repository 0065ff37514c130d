import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { loadModules } from "@ensemble/server";
import { buildWeb } from "../apps/web/scripts/build-if-stale.ts";
import { en as notesEn, fr as notesFr } from "../packages/testkit/fixtures/notes-module/web/messages.ts";
import chatFr from "../modules/chat/web/i18n/manifest.fr.json" with { type: "json" };
import chatEn from "../modules/chat/web/i18n/manifest.en.json" with { type: "json" };
import { launchChromium, newContext } from "./src/browser.ts";
import { chooseLanguage, signIn, tr, type Lang } from "./src/shell.ts";

/**
 * Issue 9's "done means": a module that lives only in its own folder
 * (packages/testkit/fixtures/notes-module, not a workspace, not shipped)
 * appears in navigation, on the home page, in admin, in search labels and in
 * the notification settings with its own French and English texts, after one
 * line in a module list (the fixture's list.json: the shipped chat + "."). The
 * chat's own labels are checked on the same screens: no raw `chat.mention`,
 * chat hits under the chat's label.
 */
const LIST = fileURLToPath(new URL("../packages/testkit/fixtures/notes-module/list.json", import.meta.url));
const notes = { fr: notesFr, en: notesEn };
const chat = { fr: chatFr, en: chatEn };

let browser: Browser;
let server: TestServer;
let dist: string;

beforeAll(async () => {
  dist = await mkdtemp(path.join(tmpdir(), "ensemble-web-"));
  // This file's own build of the shell, with the fixture's module list (the global setup's build has the shipped one).
  buildWeb({ outDir: dist, moduleList: LIST });
  browser = await launchChromium();
  server = await startTestServer({ modules: await loadModules(LIST), webDist: dist });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dist) await rm(dist, { recursive: true, force: true });
});

describe("a service plugged in by one line of the module list", () => {
  for (const lang of ["fr", "en"] as const satisfies readonly Lang[]) {
    it(`shows the fixture module and the chat with their own texts (${lang})`, async () => {
      const n = notes[lang];
      const c = chat[lang];
      const admin = await server.signedIn({ role: "admin", displayName: `Admin ${lang}` });
      expect((await admin.client.patch("/api/me", { locale: lang })).status).toBe(200);
      // A chat room and its message that the search finds next to the fixture's notes.
      const room = await admin.client.post<{ id: string }>("/api/chat/rooms", {
        type: "channel",
        slug: `carnets-${lang}`,
        name: `carnets-${lang}`,
      });
      expect(room.status).toBe(201);
      const sent = await admin.client.post(`/api/chat/rooms/${room.body.id}/messages`, {
        clientKey: `manifest-${lang}`,
        text: "Le carnet du tramway est à jour",
      });
      expect(sent.status).toBe(201);
      await expect
        .poll(async () => {
          const r = await admin.client.get<{ groups: { type: string }[] }>("/api/search?q=carnet");
          return r.body.groups.map((g) => g.type).sort();
        })
        .toEqual(["chat.message", "chat.room", "notes.note"]);

      const { context, page } = await newContext(browser, server.url, lang === "fr" ? "fr-FR" : "en-GB");
      if (lang === "en") {
        await page.goto("/sign-in");
        await chooseLanguage(page, "en");
      }
      await signIn(page, lang, admin.user.username);

      // Navigation: the module's entry, with its label, opens its page.
      const nav = page.getByRole("navigation", { name: tr(lang, "nav.main") });
      await nav.getByRole("link", { name: c.nav, exact: true }).waitFor();
      await nav.getByRole("link", { name: n.nav, exact: true }).click();
      await page.getByRole("heading", { level: 1, name: n.page.title }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/notes");

      // Home: the module's card, and the chat's.
      await nav.getByRole("link", { name: tr(lang, "nav.home") }).click();
      await page.getByRole("region", { name: n.home.title }).getByText(n.home.empty).waitFor();
      await page.getByRole("region", { name: c.home.mentions }).waitFor();

      // Administration: the module's tab.
      await nav.getByRole("link", { name: tr(lang, "nav.admin") }).click();
      await page.getByRole("tab", { name: n.admin.tab }).click();
      await page.getByTestId("notes-admin").getByText(n.admin.intro).waitFor();
      expect(new URL(page.url()).pathname).toBe("/admin/notes-general");

      // Search: each module's hits under its own label; the module's action when its label matches.
      await page.keyboard.press("Control+k");
      const dialog = page.getByRole("dialog", { name: tr(lang, "search.title") });
      await dialog.getByRole("combobox", { name: tr(lang, "search.label") }).fill("carnet");
      const notesGroup = dialog.getByRole("group", { name: n.searchTypes.note });
      await notesGroup.getByRole("option", { name: /Carnet de bord du projet/ }).waitFor();
      const chatGroup = dialog.getByRole("group", { name: c.searchTypes.message });
      await chatGroup.getByRole("option", { name: new RegExp(`#carnets-${lang} Le carnet du tramway`) }).waitFor();
      const roomGroup = dialog.getByRole("group", { name: c.searchTypes.room });
      await roomGroup.getByRole("option", { name: new RegExp(`carnets-${lang}`) }).waitFor();
      expect(await dialog.getByRole("group", { name: tr(lang, "search.types.other") }).count()).toBe(0);
      if (lang === "fr")
        await dialog
          .getByRole("group", { name: tr(lang, "search.types.action") })
          .getByRole("option", { name: n.quickActions.open })
          .waitFor();
      await page.keyboard.press("Escape");

      // Notification settings: every kind by its module's label, none raw.
      await page.goto("/settings/notifications");
      for (const label of [
        n.notificationKinds.reminder,
        c.notificationKinds.mention,
        c.notificationKinds.direct,
        c.notificationKinds.thread_reply,
      ])
        await page.getByRole("cell", { name: label, exact: true }).waitFor();
      const kinds = await page.locator("tbody tr td:first-child").allTextContents();
      expect(kinds.length).toBeGreaterThanOrEqual(4);
      expect(kinds.filter((k) => /^[a-z]+\.[a-z_]+$/.test(k))).toEqual([]);
      await context.close();
    });
  }
});
