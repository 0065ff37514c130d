import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { startSmtpServer, startTestServer, type TestServer, type TestSmtpServer } from "@ensemble/testkit";
import { launchChromium, newContext } from "./src/browser.ts";
import { signIn, tr } from "./src/shell.ts";

let browser: Browser;
let server: TestServer;
let smtp: TestSmtpServer;
beforeAll(async () => {
  browser = await launchChromium();
  smtp = await startSmtpServer();
  server = await startTestServer({ env: { SMTP_URL: smtp.url } });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.close();
});

describe("people in the administration console", () => {
  it("creates a user whose shown-once password signs in, and invites someone by e-mail", async () => {
    const admin = await server.createUser({ role: "admin", displayName: "Léa Admin" });
    const { context, page } = await newContext(browser, server.url);
    await signIn(page, "fr", admin.username);
    await page.goto("/admin/users");
    await page.getByRole("button", { name: tr("fr", "admin.createUser") }).click();
    const dialog = page.getByRole("dialog", { name: tr("fr", "admin.createUser") });
    await dialog.getByRole("textbox", { name: tr("fr", "auth.username") }).fill("noemie.roux");
    await dialog.getByRole("textbox", { name: tr("fr", "auth.displayName") }).fill("Noémie Roux");
    await dialog.getByRole("textbox", { name: tr("fr", "auth.email") }).fill("noemie.roux@example.org");
    const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual(
      [],
    );
    await dialog.getByRole("button", { name: tr("fr", "admin.create"), exact: true }).click();
    const password = (await dialog.getByTestId("created-user-password").textContent()) ?? "";
    expect(password).toMatch(/^[\w-]{23}$/);
    const signedIn = await server.client().post("/api/auth/sign-in", { login: "noemie.roux", password });
    expect(signedIn.status).toBe(200);
    await dialog
      .getByRole("button", { name: tr("fr", "app.close") })
      .last()
      .click();
    await page.getByRole("cell", { name: /Noémie Roux/ }).waitFor();

    await page.goto("/admin/invitations");
    await page.getByRole("textbox", { name: tr("fr", "admin.inviteEmail") }).fill("yanis.moreau@example.org");
    await page.getByRole("button", { name: tr("fr", "admin.createInvitation") }).click();
    await page.getByTestId("invitation-mailed").waitFor();
    const link = (await page.getByTestId("invitation-link").textContent()) ?? "";
    const mail = await smtp.waitForMail((m) => m.to.includes("yanis.moreau@example.org"));
    expect(link).not.toBe("");
    expect(mail.text).toContain(link);
    await context.close();
  });
});
