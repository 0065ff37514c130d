import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import fr from "../modules/docs/web/i18n/manifest.fr.json" with { type: "json" };
import { DOC_FILE_MARKER } from "../modules/docs/shared/documents.ts";
import { browserAndServer } from "./src/browser.ts";
import { axeViolations } from "./src/a11y.ts";
import { openedByTwo } from "./src/partageons.ts";

const env = browserAndServer();

const editor = (p: Page) => p.getByRole("textbox", { name: fr.editor.label.replace("{{name}}", "Compte rendu") });
const saveState = (p: Page) => p.getByTestId("docs-save-state");
/** The document's text without the other people's caret labels drawn inside it. */
const text = (p: Page) =>
  editor(p).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll(".collaboration-carets__caret")) caret.remove();
    return copy.textContent;
  });

describe("co-editing in the browser", () => {
  it("two people type in the same paragraph, see each other's named cursor, and converge after one was offline", async () => {
    // Alice opens it from the group folder's list (the file opener), Bob from its address.
    const { a, b, problems } = await openedByTwo(env, {
      group: "Conseil",
      fileName: "Compte rendu.ensdoc",
      marker: DOC_FILE_MARKER,
      mediaType: "application/vnd.ensemble.document+json",
      path: "/docs/:id",
      saveTestId: "docs-save-state",
    });

    await editor(a.page).click();
    await a.page.keyboard.type("Bonjour");
    await expect.poll(() => text(b.page)).toBe("Bonjour");
    await editor(b.page).click();
    await b.page.keyboard.press("End");
    await b.page.keyboard.type(" à tous");
    for (const p of [a.page, b.page]) await expect.poll(() => text(p)).toBe("Bonjour à tous");

    // Each sees the other's caret with their name, and who is here.
    await a.page.locator(".collaboration-carets__label", { hasText: "Bob Durand" }).waitFor();
    await b.page.locator(".collaboration-carets__label", { hasText: "Alice Martin" }).waitFor();
    await a.page.getByRole("list", { name: fr.editor.here }).getByRole("listitem", { name: "Bob Durand" }).waitFor();
    expect(await axeViolations(a.page)).toEqual([]);

    // Bob loses the network, goes on typing; Alice types meanwhile; both converge when he is back.
    await b.context.setOffline(true);
    await expect.poll(() => saveState(b.page).getAttribute("data-state")).toBe("offline");
    await b.page.keyboard.type(" (hors ligne)");
    await editor(a.page).click();
    await a.page.keyboard.press("Home");
    await a.page.keyboard.type("Note : ");
    await expect.poll(() => saveState(a.page).getAttribute("data-state")).toBe("saved");
    await b.context.setOffline(false);
    const expected = "Note : Bonjour à tous (hors ligne)";
    for (const p of [a.page, b.page]) await expect.poll(() => text(p), { timeout: 20_000 }).toBe(expected);
    await expect.poll(() => saveState(b.page).getAttribute("data-state")).toBe("saved");
    expect(problems.flat()).toEqual([]);
    await a.context.close();
    await b.context.close();
  });
});
