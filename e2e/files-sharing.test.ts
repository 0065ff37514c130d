import { describe, expect, it } from "vitest";
import type { Download, Locator, Page } from "playwright-core";
import fr from "../modules/files/web/i18n/manifest.fr.json" with { type: "json" };
import sfr from "../modules/files/web/i18n/sharing.fr.json" with { type: "json" };
import type { FileNode, FileSpace, FolderListing } from "../modules/files/shared/wire.ts";
import { browserAndServer, newContext } from "./src/browser.ts";
import { expectAxeClean } from "./src/a11y.ts";
import { PASSWORD, signIn, watchConsole } from "./src/shell.ts";

const env = browserAndServer();

const fill = (s: string, vars: Record<string, string> = {}) =>
  s.replace(/\{\{(\w+)\}\}/g, (_, v: string) => vars[v] ?? "");

async function downloaded(page: Page, click: () => Promise<unknown>): Promise<{ name: string; text: string }> {
  const wait = page.waitForEvent("download");
  await click();
  const d: Download = await wait;
  let text = "";
  for await (const chunk of (await d.createReadStream()) as AsyncIterable<Buffer>) text += chunk.toString("utf8");
  return { name: d.suggestedFilename(), text };
}

/** The public page's password field (its label carries the « required » asterisk; the show/hide button is not it). */
const passwordLabel = new RegExp(`^${sfr.public.password}`);

/** The share button of a row of the folder page (its name says which file). */
const shareButton = (page: Page, name: string) =>
  page.getByRole("button", { name: fill(sfr.share.open, { name }), exact: true });

/** Creates a public link in the open share dialog and answers its address (shown once). */
async function createLink(dialog: Locator, opts: { password?: string; upload?: boolean }): Promise<string> {
  if (opts.upload) await dialog.getByRole("radio", { name: sfr.share.links.upload }).check();
  if (opts.password) await dialog.getByLabel(sfr.share.links.password, { exact: true }).fill(opts.password);
  await dialog.getByRole("button", { name: sfr.share.links.create }).click();
  const url = (await dialog.getByTestId("share-link-url").textContent())!.trim();
  expect(url).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
  await dialog.getByRole("button", { name: sfr.share.links.keep }).click();
  return url;
}

describe("Partageons: sharing in the browser, and the public link page", () => {
  it("Alice shares a file with Bruno and by links; an outsider opens, downloads and drops; revoking closes the link", async () => {
    const alice = await env.server.createUser({ displayName: "Alice Martin" });
    const bruno = await env.server.createUser({ displayName: "Bruno Petit" });
    const aliceApi = env.server.client();
    await aliceApi.post("/api/auth/sign-in", { login: alice.username, password: PASSWORD });
    const root = (await aliceApi.get<{ spaces: FileSpace[] }>("/api/files/spaces")).body.spaces[0]!.rootId;
    const dropFolder = (await aliceApi.post<FileNode>(`/api/files/nodes/${root}/folders`, { name: "Dépôt" })).body;

    // Alice uploads a file and shares it with Bruno, who may edit it.
    const a = await newContext(env.browser, env.server.url);
    const problems = [watchConsole(a.page)];
    await signIn(a.page, "fr", alice.username);
    await a.page.goto("/files");
    await a.page.getByRole("heading", { level: 1, name: fr.page.title }).waitFor();
    await a.page.getByTestId("files-upload-input").setInputFiles({
      name: "planning.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("lundi : réunion de chantier"),
    });
    await a.page
      .getByTestId("files-list")
      .getByRole("row", { name: /planning\.txt/ })
      .waitFor();
    // By the keyboard: the row's « Partager » button opens the dialog, whose first field takes the focus.
    await shareButton(a.page, "planning.txt").focus();
    await a.page.keyboard.press("Enter");
    const dialog = a.page.getByRole("dialog", { name: fill(sfr.share.title, { name: "planning.txt" }) });
    await dialog.getByText(sfr.share.people.none).waitFor();
    await expect
      .poll(() => dialog.getByLabel(sfr.share.people.pick).evaluate((el) => el === document.activeElement))
      .toBe(true);
    await expectAxeClean(a.page, "share dialog", () => dialog.getByText(sfr.share.links.none).waitFor());
    await dialog.getByLabel(sfr.share.people.pick).fill("Bruno");
    await a.page.getByRole("option", { name: /Bruno Petit/ }).click();
    await dialog.getByLabel(sfr.share.people.level, { exact: true }).selectOption("edit");
    // The list of people may still cover the button: the keyboard reaches it.
    await dialog.getByRole("button", { name: sfr.share.people.submit, exact: true }).press("Enter");
    await dialog.getByText(fill(sfr.share.people.added, { name: `Bruno Petit (@${bruno.username})` })).waitFor();
    const level = dialog.getByLabel(fill(sfr.share.people.levelOf, { name: "Bruno Petit" }));
    await expect.poll(() => level.inputValue()).toBe("edit");

    // A link with a password: its address is shown once, to copy.
    const locked = await createLink(dialog, { password: "tramway-2027" });
    await dialog.getByTestId("share-links").getByText(sfr.share.links.withPassword, { exact: false }).waitFor();
    await expectAxeClean(a.page, "share dialog with a share and a link");
    // Closing gives the focus back to the button that opened the dialog.
    await a.page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await expect
      .poll(() => a.page.evaluate(() => document.activeElement?.getAttribute("aria-label")))
      .toBe(fill(sfr.share.open, { name: "planning.txt" }));

    // Bruno finds it under « Partagé avec moi », with the edit level, and opens it.
    const b = await newContext(env.browser, env.server.url);
    problems.push(watchConsole(b.page));
    await signIn(b.page, "fr", bruno.username);
    await b.page.goto("/files/shared");
    const row = b.page.getByTestId("files-shared-list").getByRole("row", { name: /planning\.txt/ });
    await row.getByText(fr.shared.levels.edit).waitFor();
    const got = await downloaded(b.page, () => row.getByRole("link", { name: /planning\.txt/ }).click());
    expect(got).toEqual({ name: "planning.txt", text: "lundi : réunion de chantier" });
    await b.context.close();

    // Someone without an account: a wrong password first, said plainly; then the download.
    const o = await newContext(env.browser, env.server.url);
    problems.push(watchConsole(o.page));
    await o.page.goto(locked);
    await o.page.getByRole("heading", { level: 1, name: sfr.public.passwordTitle }).waitFor();
    await o.page.getByLabel(passwordLabel).fill("pas-le-bon");
    await o.page.getByRole("button", { name: sfr.public.unlock }).click();
    await o.page.getByRole("alert").filter({ hasText: sfr.public.wrongPassword }).waitFor();
    await expectAxeClean(o.page, "public link: wrong password");
    await o.page.getByLabel(passwordLabel).fill("tramway-2027");
    await o.page.getByRole("button", { name: sfr.public.unlock }).click();
    await o.page.getByRole("heading", { level: 1, name: "planning.txt" }).waitFor();
    await expectAxeClean(o.page, "public link: a file");
    const file = await downloaded(o.page, () => o.page.getByRole("link", { name: sfr.public.download }).click());
    expect(file).toEqual({ name: "planning.txt", text: "lundi : réunion de chantier" });

    // A « dépôt » on the folder: the outsider drops a file (dragged in), which lands in Alice's folder.
    await a.page.reload();
    await shareButton(a.page, "Dépôt").click();
    const dropDialog = a.page.getByRole("dialog", { name: fill(sfr.share.title, { name: "Dépôt" }) });
    const dropUrl = await createLink(dropDialog, { upload: true });
    await a.page.keyboard.press("Escape");
    const d = await newContext(env.browser, env.server.url);
    problems.push(watchConsole(d.page));
    await d.page.goto(dropUrl);
    await d.page.getByRole("heading", { level: 1, name: sfr.public.dropTitle }).waitFor();
    await expectAxeClean(d.page, "public link: a drop box");
    const transfer = await d.page.evaluateHandle(() => {
      const t = new DataTransfer();
      t.items.add(new File(["relevé de compteur"], "compteur.txt", { type: "text/plain" }));
      return t;
    });
    await d.page.getByTestId("drop-zone").dispatchEvent("drop", { dataTransfer: transfer });
    await d.page.getByText(fill(sfr.public.sent, { name: "compteur.txt" })).waitFor();
    const inFolder = (await aliceApi.get<FolderListing>(`/api/files/nodes/${dropFolder.id}`)).body.children;
    expect(inFolder.map((c) => [c.name, c.size])).toEqual([["compteur.txt", Buffer.byteLength("relevé de compteur")]]);
    await d.context.close();

    // « Partagés par moi »: Alice revokes the password link; its page says so.
    await a.page.goto("/files/shared-by-me");
    await a.page.getByRole("heading", { level: 1, name: sfr.byMe.title }).waitFor();
    await a.page
      .getByTestId("files-by-me-shares")
      .getByRole("row", { name: /Bruno Petit/ })
      .waitFor();
    await expectAxeClean(a.page, "shared by me");
    await a.page.getByRole("button", { name: fill(sfr.byMe.revokeLink, { name: "planning.txt" }) }).click();
    await a.page.getByText(sfr.byMe.revoked).waitFor();
    await o.page.reload();
    await o.page.getByRole("heading", { level: 1, name: sfr.public.gone }).waitFor();
    await expectAxeClean(o.page, "public link: revoked");

    // An expired link: « Ce lien a expiré ».
    const soon = await aliceApi.post<{ id: string; path: string }>(`/api/files/nodes/${dropFolder.id}/links`, {
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    await env.server.kernel.db
      .withTables<{ files_links: { id: string; expires_at: string } }>()
      .updateTable("files_links")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("id", "=", soon.body.id)
      .execute();
    await o.page.goto(soon.body.path);
    await o.page.getByRole("heading", { level: 1, name: sfr.public.expired }).waitFor();

    // Guessing a password: after ten tries a minute from one address, the page says to wait.
    const guarded = await aliceApi.post<{ path: string }>(`/api/files/nodes/${dropFolder.id}/links`, {
      password: "compteur-2027",
    });
    await o.page.goto(guarded.body.path);
    await o.page.getByRole("heading", { level: 1, name: sfr.public.passwordTitle }).waitFor();
    let status = 0;
    for (let i = 0; i < 12 && status !== 429; i++) {
      await o.page.getByLabel(passwordLabel).fill(`essai-${i}`);
      const answer = o.page.waitForResponse((r) => r.url().endsWith("/unlock"));
      await o.page.getByRole("button", { name: sfr.public.unlock }).click();
      status = (await answer).status();
    }
    expect(status).toBe(429);
    await o.page.getByRole("alert").filter({ hasText: sfr.public.tooMany }).waitFor();
    await o.context.close();
    expect(problems.flat()).toEqual([]);
    await a.context.close();
    // The whole journey in one test (five browser contexts, axe at two sizes six times): longer than the suite's default.
  }, 420_000);
});
