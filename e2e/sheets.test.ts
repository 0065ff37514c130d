import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import fr from "../modules/docs/web/i18n/manifest.fr.json" with { type: "json" };
import sheetsFr from "../modules/docs/web/sheets/i18n/fr.json" with { type: "json" };
import { SHEET_FILE_MARKER, SHEET_MEDIA_TYPE } from "../modules/docs/shared/sheets/sheet-file.ts";
import { browserAndServer, newContext } from "./src/browser.ts";
import { axeViolations } from "./src/a11y.ts";
import { openedByTwo } from "./src/partageons.ts";
import { signIn, watchConsole } from "./src/shell.ts";

const env = browserAndServer();
const t = sheetsFr.sheets;

const grid = (p: Page) => p.getByTestId("sheet-grid");
const saveState = (p: Page) => p.getByTestId("sheets-save-state");
const cellNameBox = (p: Page) => p.getByTestId("sheet-cell-name");
/** A cell by its A1 name (columns A–Z), as drawn: its text without the other people's name labels. */
function cellText(p: Page, name: string): Promise<string> {
  const m = /^([A-Z])(\d+)$/.exec(name)!;
  const col = m[1]!.charCodeAt(0) - 63; // aria-colindex: the row headers are column 1
  const row = Number(m[2]) + 1; // aria-rowindex: the column headers are row 1
  return p.locator(`[role=row][aria-rowindex="${row}"] [role=gridcell][aria-colindex="${col}"]`).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    for (const label of copy.querySelectorAll(".sheet-peer")) label.remove();
    return copy.textContent ?? "";
  });
}
/** Types into the active cell (typing replaces) and writes it with Enter. */
async function typeIn(p: Page, text: string) {
  await p.keyboard.type(text);
  await p.keyboard.press("Enter");
}

describe("spreadsheets in the browser", () => {
  it("« Nouveau tableur » makes a spreadsheet in my files and opens it on the first cell", async () => {
    const user = await env.server.createUser({ displayName: "Claire Petit" });
    const { page, context } = await newContext(env.browser, env.server.url);
    const problems = watchConsole(page);
    await signIn(page, "fr", user.username);
    await page.goto("/docs");
    await page.getByRole("button", { name: fr.page.newSheet }).click();
    await page.getByRole("heading", { level: 1, name: fr.page.untitledSheet }).waitFor();
    expect(page.url()).toMatch(/\/sheets\/[0-9a-f-]+$/);
    await expect.poll(() => saveState(page).getAttribute("data-state")).toBe("saved");
    await grid(page).focus();
    await typeIn(page, "Bonjour");
    await expect.poll(() => cellText(page, "A1")).toBe("Bonjour");
    expect(await cellNameBox(page).textContent()).toBe("A2");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("two people edit different cells, see each other's values and selection; a formula recomputes on both; keyboard; axe", async () => {
    // Alice opens it from the group folder's list (the file opener), Bob from its address.
    const { a, b, problems } = await openedByTwo(env, {
      group: "Finances",
      fileName: "Budget.enssheet",
      marker: SHEET_FILE_MARKER,
      mediaType: SHEET_MEDIA_TYPE,
      path: "/sheets/:id",
      saveTestId: "sheets-save-state",
    });

    // Alice fills column A; Bob writes B1 meanwhile.
    await grid(a.page).focus();
    await typeIn(a.page, "120");
    await typeIn(a.page, "80");
    await typeIn(a.page, "=SUM(A1:A2)");
    await grid(b.page).focus();
    await b.page.keyboard.press("ArrowRight");
    await typeIn(b.page, "Bob");
    for (const p of [a.page, b.page]) {
      await expect.poll(() => cellText(p, "A3")).toBe("200");
      await expect.poll(() => cellText(p, "B1")).toBe("Bob");
    }
    // Each sees where the other is, with their name.
    await a.page.locator(".sheet-peer", { hasText: "Bob Durand" }).waitFor();
    await b.page.locator(".sheet-peer", { hasText: "Alice Martin" }).waitFor();

    // Bob changes an input: the formula recomputes on both.
    await b.page.keyboard.press("Control+Home");
    expect(await cellNameBox(b.page).textContent()).toBe("A1");
    await b.page.keyboard.press("F2");
    const editor = b.page.getByRole("textbox", { name: t.editCell.replace("{{cell}}", "A1") });
    expect(await editor.inputValue()).toBe("120");
    await b.page.keyboard.press("Control+A");
    await typeIn(b.page, "20");
    for (const p of [a.page, b.page]) await expect.poll(() => cellText(p, "A3")).toBe("100");

    // Keyboard: arrows, F2 shows the formula as typed, Escape cancels, Tab writes and moves right.
    await grid(a.page).focus();
    await a.page.keyboard.press("ArrowUp");
    expect(await cellNameBox(a.page).textContent()).toBe("A3");
    const bar = a.page.getByRole("textbox", { name: t.formulaBar.replace("{{cell}}", "A3") });
    expect(await bar.inputValue()).toBe("=SUM(A1:A2)");
    await a.page.keyboard.press("F2");
    await a.page.keyboard.type("*2");
    await a.page.keyboard.press("Escape");
    expect(await cellText(a.page, "A3")).toBe("100");
    await a.page.keyboard.press("ArrowRight");
    await a.page.keyboard.type("=A3/0");
    await a.page.keyboard.press("Tab");
    expect(await cellNameBox(a.page).textContent()).toBe("C3");
    for (const p of [a.page, b.page]) await expect.poll(() => cellText(p, "B3")).toBe("#DIV/0!");

    // A second sheet, added by Alice, appears on Bob's side.
    await a.page.getByRole("button", { name: t.addSheet }).click();
    await b.page.getByRole("group", { name: t.tabs }).getByRole("button", { name: "Feuille 2" }).waitFor();
    await a.page.getByRole("group", { name: t.tabs }).getByRole("button", { name: "Feuille 1" }).click();

    expect(await axeViolations(a.page)).toEqual([]);
    expect(problems.flat()).toEqual([]);
    await a.context.close();
    await b.context.close();
  });
});
