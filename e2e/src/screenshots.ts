/**
 * Screenshots of the main screens in French for the README:
 * `node e2e/src/screenshots.ts` (after the web build) writes docs/screenshots/*.png.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { startTestServer } from "@ensemble/testkit";
import { launchChromium, newContext } from "./browser.ts";
import { fillAccountForm, greeting, tr } from "./shell.ts";

const out = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
mkdirSync(out, { recursive: true });

const server = await startTestServer();
const browser = await launchChromium();
try {
  const { page } = await newContext(browser, server.url);
  const shot = (name: string) => page.screenshot({ path: `${out}${name}.png` });
  const tab = async (p: Page, name: string) => {
    await p.getByRole("tab", { name }).click();
    await p.getByRole("tabpanel").waitFor();
  };

  await page.goto(`/setup#token=${await server.setupToken()}`);
  await page.getByRole("heading", { name: tr("fr", "auth.setupTitle") }).waitFor();
  await shot("setup");
  await fillAccountForm(page, "fr", {
    username: "amartin",
    displayName: "Alice Martin",
    email: "alice.martin@example.org",
  });
  await greeting(page, "fr", "Alice Martin");
  await shot("home");
  // The chat has its own screenshot (e2e/src/chat-screenshot.ts).
  await page.goto("/settings/profile");
  await page.getByRole("tabpanel").waitFor();
  await shot("settings-profile");
  await page.goto("/settings/sessions");
  await page.getByText(tr("fr", "settings.thisDevice")).waitFor();
  await shot("settings-sessions");
  for (const name of ["Bruno Petit", "Chloé Bernard", "David Lefebvre"]) await server.createUser({ displayName: name });
  await page.goto("/admin/users");
  await page.getByRole("cell", { name: /Chloé Bernard/ }).waitFor();
  await shot("admin-users");
  await tab(page, tr("fr", "admin.tabs.invitations"));
  await page.getByRole("button", { name: tr("fr", "admin.createInvitation") }).click();
  const link = (await page.getByTestId("invitation-link").textContent()) ?? "";
  await shot("admin-invitations");
  await tab(page, tr("fr", "admin.tabs.settings"));
  await shot("admin-branding");

  const guest = await newContext(browser, server.url);
  await guest.page.goto(new URL(link).pathname + new URL(link).hash);
  await guest.page.getByRole("button", { name: tr("fr", "auth.createAccount") }).waitFor();
  await guest.page.screenshot({ path: `${out}invite.png` });
  await guest.page.goto("/sign-in");
  await guest.page.getByRole("heading", { name: tr("fr", "auth.signInTitle") }).waitFor();
  await guest.page.screenshot({ path: `${out}sign-in.png` });
  process.stdout.write(`screenshots written to ${out}\n`);
} finally {
  await browser.close();
  await server.close();
}
