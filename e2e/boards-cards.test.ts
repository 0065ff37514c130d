import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { expectAxeClean } from "./src/a11y.ts";
import { launchChromium } from "./src/browser.ts";
import { bt, cardIn, column, ok } from "./src/boards.ts";
import { person, type Person } from "./src/chat.ts";

/**
 * Planifions, a card's checklist and a long list: two people on one board,
 * one works the checklist in the card dialog (pointer and keyboard), the
 * other sees the progress on the card; a list longer than the first page
 * shows the rest on demand.
 */

interface View {
  lists: { id: string; title: string }[];
  cards: { id: string; title: string }[];
}

let browser: Browser;
let server: TestServer;
let alice: Person;
let bob: Person;
let boardId: string;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  alice = await person(browser, server, "Alice Martin");
  bob = await person(browser, server, "Bruno Petit");
  boardId = (
    await ok(alice.api.post<{ id: string }>("/api/boards", { title: "Atelier", lists: ["À faire", "Archives"] }))
  ).id;
  await ok(alice.api.post(`/api/boards/${boardId}/members`, { userId: bob.id, role: "normal" }));
  const lists = (await ok(alice.api.get<View>(`/api/boards/${boardId}`))).lists;
  await ok(alice.api.post(`/api/boards/${boardId}/cards`, { listId: lists[0]!.id, title: "Préparer l’atelier" }));
  // One more card than the first page of a cell (CELL_PAGE = 50) and four beyond.
  for (let i = 1; i <= 55; i++)
    await ok(alice.api.post(`/api/boards/${boardId}/cards`, { listId: lists[1]!.id, title: `Compte rendu ${i}` }));
  for (const p of [alice, bob]) {
    await p.page.goto(`/boards/${boardId}`);
    await cardIn(p.page, "À faire", "Préparer l’atelier").waitFor();
  }
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("Planifions: checklists and long lists", () => {
  it("one builds and ticks a checklist in the card dialog; the other sees the progress on the card", async () => {
    const page = alice.page;
    await page.getByRole("button", { name: "Préparer l’atelier", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(bt("checklist.empty")).waitFor();
    const field = dialog.getByRole("textbox", { name: bt("checklist.add") });
    for (const text of ["Réserver la salle", "Envoyer l’invitation"]) {
      await field.fill(text);
      // Keyboard: Enter submits the add form.
      await field.press("Enter");
      await dialog.getByRole("checkbox", { name: text }).waitFor();
    }
    await dialog.getByRole("combobox", { name: bt("checklist.assignee", { text: "Réserver la salle" }) }).selectOption({
      label: "Bruno Petit",
    });
    // Ticking with the keyboard alone: focus the box, Space.
    await dialog.getByRole("checkbox", { name: "Réserver la salle" }).focus();
    await page.keyboard.press("Space");
    await expect.poll(() => dialog.getByRole("checkbox", { name: "Réserver la salle" }).isChecked()).toBe(true);
    await dialog
      .getByText(bt("checklist.progress", { done: 1, total: 2 }))
      .first()
      .waitFor();
    await expectAxeClean(page, "card dialog with a checklist", () => dialog.getByRole("checkbox").first().waitFor());

    const badge = bt("card.checklistBadge", { done: 1, total: 2 });
    await cardIn(bob.page, "À faire", "Préparer l’atelier").getByText(badge).waitFor({ timeout: 10_000 });
    const card = (await ok(bob.api.get<View>(`/api/boards/${boardId}`))).cards.find(
      (c) => c.title === "Préparer l’atelier",
    )!;
    const list = await ok(
      bob.api.get<{ items: { text: string; done: boolean; assigneeId: string | null }[] }>(
        `/api/boards/cards/${card.id}/checklist`,
      ),
    );
    expect(list.items).toMatchObject([
      { text: "Réserver la salle", done: true, assigneeId: bob.id },
      { text: "Envoyer l’invitation", done: false, assigneeId: null },
    ]);
    await page.keyboard.press("Escape");
  });

  it("a list longer than the first page shows the rest on demand", async () => {
    const page = bob.page;
    const archives = column(page, "Archives");
    await archives.locator('[data-card="Compte rendu 50"]').waitFor();
    expect(await archives.locator('[data-card="Compte rendu 51"]').count()).toBe(0);
    // The count is the list's, not what is loaded.
    await archives.getByText(bt("board.cards_other", { count: 55 })).waitFor();
    const more = archives.getByRole("button", { name: bt("board.more_other", { count: 5 }) });
    await more.focus();
    await page.keyboard.press("Enter");
    await archives.locator('[data-card="Compte rendu 55"]').waitFor();
    expect(await archives.locator("[data-card]").count()).toBe(55);
    expect(await more.count()).toBe(0);
  });
});
