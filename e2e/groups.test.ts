import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { launchChromium, newContext } from "./src/browser.ts";
import { signIn, tr } from "./src/shell.ts";

let browser: Browser;
let server: TestServer;
beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("groups in the administration console", () => {
  it("creates a group, adds a person from the directory, makes them owner and removes them", async () => {
    const admin = await server.createUser({ role: "admin", displayName: "Léa Admin" });
    const person = await server.createUser({ displayName: "Mathis Ducros" });
    const { context, page } = await newContext(browser, server.url);
    await signIn(page, "fr", admin.username);
    await page.goto("/admin/groups");
    await page.getByRole("textbox", { name: tr("fr", "admin.groupName") }).fill("Direction du numérique");
    await page.getByRole("button", { name: tr("fr", "admin.createGroup") }).click();
    await page.getByRole("cell", { name: "Direction du numérique", exact: true }).waitFor();
    await page.getByRole("button", { name: `${tr("fr", "admin.manageMembers")} — Direction du numérique` }).click();
    const dialog = page.getByRole("dialog", {
      name: tr("fr", "admin.groupMembers", { name: "Direction du numérique" }),
    });
    await dialog.waitFor();

    await dialog.getByLabel(tr("fr", "admin.addMember"), { exact: true }).fill("Mathis");
    await page.getByRole("option", { name: /Mathis Ducros/ }).click();
    await dialog.getByRole("cell", { name: "Mathis Ducros", exact: true }).waitFor();
    await dialog.getByRole("combobox", { name: `${tr("fr", "admin.role")} — Mathis Ducros` }).selectOption("owner");
    const groupId = await page.evaluate(
      async () => ((await (await fetch("/api/groups")).json()) as { items: { id: string }[] }).items[0]!.id,
    );
    await expect
      .poll(() =>
        page.evaluate(
          async (id) =>
            ((await (await fetch(`/api/groups/${id}`)).json()) as { members: { user: { id: string }; role: string }[] })
              .members,
          groupId,
        ),
      )
      .toContainEqual(expect.objectContaining({ user: expect.objectContaining({ id: person.id }), role: "owner" }));

    const r = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

    await dialog.getByRole("button", { name: `${tr("fr", "admin.removeMember")} — Mathis Ducros` }).click();
    await dialog.getByRole("cell", { name: "Mathis Ducros", exact: true }).waitFor({ state: "detached" });
    await context.close();
  });
});
