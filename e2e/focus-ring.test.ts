import { describe, expect, it } from "vitest";
import { browserAndServer, newContext } from "./src/browser.ts";
import { signIn } from "./src/shell.ts";
import { composer, defaultChannel, openRoom } from "./src/chat.ts";
import { expectAxeClean, expectVisibleFocus } from "./src/a11y.ts";

const env = browserAndServer();

describe("the focus ring reads at 3:1 on the page and on the header, whatever the brand colour", () => {
  // The audit's pale brand (its raw colour was 1.3:1 on white), a dark one, and one between (no single colour
  // reads at 3:1 on both white and it).
  for (const brandColor of ["#f2e96b", "#000091", "#6a1b9a"]) {
    it(`with ${brandColor}: every Tab stop of a chat room, and the composer`, async () => {
      const admin = await env.server.signedIn({ role: "admin" });
      expect((await admin.client.patch("/api/admin/settings", { brandColor })).status).toBe(200);
      const u = await env.server.createUser({ displayName: "Claire Dubois" });
      const { page } = await newContext(env.browser, env.server.url);
      await signIn(page, "fr", u.username);
      const api = env.server.client();
      await api.post("/api/auth/sign-in", { login: u.username, password: u.password });
      await openRoom(page, await defaultChannel(api));
      // From the top of the page through the header, the navigation and the chat's list.
      await page.locator("body").focus();
      const seen: string[] = [];
      for (let i = 0; i < 25; i++) {
        await page.keyboard.press("Tab");
        seen.push((await expectVisibleFocus(page, `Tab ${i + 1} (after ${seen.at(-1) ?? "top"})`)).target);
      }
      await composer(page).focus();
      await expectVisibleFocus(page, "composer");
      await page.keyboard.type("Bonjour");
      await expectVisibleFocus(page, "composer while typing");
      // And axe finds nothing serious at desktop and phone size with this brand.
      await expectAxeClean(page, `chat room, brand ${brandColor}`, () => composer(page).waitFor());
    });
  }
});
