import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import fr from "../modules/files/web/i18n/manifest.fr.json" with { type: "json" };
import type { FileNode, FileSpace } from "../modules/files/shared/wire.ts";
import { browserAndServer, newContext } from "./src/browser.ts";
import { signIn, watchConsole } from "./src/shell.ts";

const env = browserAndServer();

/**
 * Serious or critical accessibility problems in the page's main content. (The shell's bell, with the
 * unread share notification, fails label-content-name-mismatch: the shell's, reported, not this page's.)
 */
async function violations(p: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page: p })
    .include("main")
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return r.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.html).join(", ")}`);
}

describe("Partageons: shared with me, in the browser", () => {
  it("Bruno finds the folder Alice shared with him under « Partagé avec moi » and opens it", async () => {
    const { client: alice } = await env.server.signedIn({ displayName: "Alice Martin" });
    const bruno = await env.server.createUser({ displayName: "Bruno Petit" });
    const root = (await alice.get<{ spaces: FileSpace[] }>("/api/files/spaces")).body.spaces[0]!.rootId;
    const folder = (await alice.post<FileNode>(`/api/files/nodes/${root}/folders`, { name: "Chantier tram" })).body;
    await alice.request("PUT", `/api/files/nodes/${folder.id}/files?name=planning.txt`, undefined, {
      raw: Buffer.from("lundi"),
    });
    const s = await alice.post(`/api/files/nodes/${folder.id}/shares`, {
      recipient: { kind: "user", id: bruno.id },
      permission: "read",
    });
    expect(s.status, s.text).toBe(201);

    const { context, page } = await newContext(env.browser, env.server.url);
    const problems = watchConsole(page);
    await signIn(page, "fr", bruno.username);
    await page.getByRole("navigation").getByRole("link", { name: fr.nav }).click();
    await page.getByRole("link", { name: fr.shared.title }).click();
    await page.getByRole("heading", { level: 1, name: fr.shared.title }).waitFor();
    const row = page.getByTestId("files-shared-list").getByRole("row", { name: /Chantier tram/ });
    await row.getByText("Alice Martin").waitFor();
    await row.getByText(fr.shared.levels.read).waitFor();
    expect(await violations(page)).toEqual([]);

    await row.getByRole("link", { name: /Chantier tram/ }).click();
    const crumbs = page.getByRole("navigation", { name: fr.page.breadcrumbs });
    await crumbs.getByText("Chantier tram").waitFor();
    await page
      .getByTestId("files-list")
      .getByRole("row", { name: /planning\.txt/ })
      .waitFor();
    // Read-only: nothing to upload or create here.
    expect(await page.getByRole("button", { name: fr.page.upload }).isDisabled()).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });
});
