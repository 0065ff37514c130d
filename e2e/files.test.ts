import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import fr from "../modules/files/web/i18n/manifest.fr.json" with { type: "json" };
import { browserAndServer, newContext } from "./src/browser.ts";
import { signIn, watchConsole } from "./src/shell.ts";

const env = browserAndServer();

const fill = (s: string, vars: Record<string, string>) => s.replace(/\{\{(\w+)\}\}/g, (_, v: string) => vars[v] ?? "");

/** Serious or critical accessibility problems on the page. */
async function violations(p: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page: p }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return r.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe("Partageons in the browser", () => {
  it("creates a folder, uploads, downloads and moves a file to the trash", async () => {
    const user = await env.server.createUser({ displayName: "Alice Martin" });
    const { context, page } = await newContext(env.browser, env.server.url);
    const problems = watchConsole(page);
    await signIn(page, "fr", user.username);
    await page.getByRole("navigation").getByRole("link", { name: fr.nav }).click();
    await page.getByRole("heading", { level: 1, name: fr.page.title }).waitFor();
    await page.getByText(fr.page.empty).waitFor();
    expect(await violations(page)).toEqual([]);

    await page.getByRole("button", { name: fr.page.newFolder }).click();
    const dialog = page.getByRole("dialog", { name: fr.page.newFolder });
    await dialog.getByRole("textbox", { name: fr.page.folderName }).fill("Rapports");
    await dialog.getByRole("button", { name: fr.page.create }).click();
    // The folder row also has « Télécharger Rapports en archive ZIP »: the folder's own link comes first.
    await page.getByRole("link", { name: "Rapports" }).first().click();
    const crumbs = page.getByRole("navigation", { name: fr.page.breadcrumbs });
    await crumbs.getByText("Rapports").waitFor();
    expect(await crumbs.getByRole("link").allTextContents()).toEqual(["Mes fichiers"]);

    await page.getByTestId("files-upload-input").setInputFiles({
      name: "budget été.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("poste;montant\n"),
    });
    const row = page.getByTestId("files-list").getByRole("row", { name: /budget été\.txt/ });
    await row.waitFor();
    const download = page.waitForEvent("download");
    await row.getByRole("link", { name: fill(fr.page.download, { name: "budget été.txt" }) }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe("budget été.txt");
    expect(await streamText(await file.createReadStream())).toBe("poste;montant\n");
    expect(await violations(page)).toEqual([]);

    await row.getByRole("button", { name: fill(fr.page.trash, { name: "budget été.txt" }) }).click();
    await page.getByText(fill(fr.page.trashed, { name: "budget été.txt" })).waitFor();
    await page.getByText(fr.page.empty).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});

async function streamText(s: NodeJS.ReadableStream): Promise<string> {
  let out = "";
  for await (const chunk of s as AsyncIterable<Buffer>) out += chunk.toString("utf8");
  return out;
}
