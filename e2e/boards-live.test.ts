import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import { launchChromium } from "./src/browser.ts";
import { bt, cardIn, column, ok } from "./src/boards.ts";
import { person, type Person } from "./src/chat.ts";

interface View {
  lists: { id: string; title: string }[];
  cards: { id: string; title: string; listId: string }[];
}

let browser: Browser;
let server: TestServer;
let alice: Person;
let bob: Person;
let boardId: string;

const view = (api: TestClient) => ok(api.get<View>(`/api/boards/${boardId}`));

/**
 * A pointer drag of a card's handle onto a list, in small steps as a hand would (dnd-kit needs the moves).
 * hover() first: it waits until the handle stops moving — after the previous move the list re-flows,
 * and a press taken from a box read mid-reflow lands beside the handle and starts no drag.
 */
async function drag(p: Page, handle: Locator, target: Locator): Promise<void> {
  await handle.hover();
  const from = (await handle.boundingBox())!;
  const to = (await target.boundingBox())!;
  await p.mouse.down();
  await p.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 10, { steps: 3 });
  await p.mouse.move(to.x + to.width / 2, to.y + to.height - 20, { steps: 15 });
  await p.mouse.up();
}

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  alice = await person(browser, server, "Alice Martin");
  bob = await person(browser, server, "Bruno Petit");
  const board = await ok(
    alice.api.post<{ id: string }>("/api/boards", { title: "Lancement", lists: ["À faire", "En cours"] }),
  );
  boardId = board.id;
  await ok(alice.api.post(`/api/boards/${boardId}/members`, { userId: bob.id, role: "normal" }));
  await ok(alice.api.post(`/api/boards/${boardId}/lists`, { title: "Revue", wipLimit: 1, wipMode: "hard" }));
  const lists = (await view(alice.api)).lists;
  const listId = (t: string) => lists.find((l) => l.title === t)!.id;
  for (const title of ["Rédiger le plan", "Réserver la salle"])
    await ok(alice.api.post(`/api/boards/${boardId}/cards`, { listId: listId("À faire"), title }));
  await ok(alice.api.post(`/api/boards/${boardId}/cards`, { listId: listId("Revue"), title: "Relire le budget" }));
  for (const p of [alice, bob]) {
    await p.page.goto(`/boards/${boardId}`);
    await cardIn(p.page, "À faire", "Rédiger le plan").waitFor();
  }
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("Planifions in two browsers at once", () => {
  it("one drags a card across lists, the other sees it move", async () => {
    const handle = alice.page.getByRole("button", { name: bt("dnd.handle", { title: "Rédiger le plan" }) });
    await drag(alice.page, handle, column(alice.page, "En cours"));
    await cardIn(bob.page, "En cours", "Rédiger le plan").waitFor({ timeout: 10_000 });
    expect(await cardIn(bob.page, "À faire", "Rédiger le plan").count()).toBe(0);
    const v = await view(bob.api);
    const moved = v.cards.find((c) => c.title === "Rédiger le plan")!;
    expect(v.lists.find((l) => l.id === moved.listId)!.title).toBe("En cours");
  });

  it("a hard WIP limit refuses a move with a readable message, and nothing moves", async () => {
    const handle = alice.page.getByRole("button", { name: bt("dnd.handle", { title: "Réserver la salle" }) });
    await drag(alice.page, handle, column(alice.page, "Revue"));
    await alice.page
      .getByRole("alert")
      .filter({ hasText: bt("problems.boards_wip_limit") })
      .waitFor();
    await cardIn(alice.page, "À faire", "Réserver la salle").waitFor();
    const v = await view(alice.api);
    const card = v.cards.find((c) => c.title === "Réserver la salle")!;
    expect(v.lists.find((l) => l.id === card.listId)!.title).toBe("À faire");
  });

  it("moves a card with the keyboard alone and announces it", async () => {
    const handle = bob.page.getByRole("button", { name: bt("dnd.handle", { title: "Rédiger le plan" }) });
    await handle.focus();
    await bob.page.keyboard.press("Space");
    await bob.page.keyboard.press("ArrowLeft");
    await bob.page.keyboard.press("Space");
    await expect
      .poll(() => bob.page.getByRole("status").filter({ hasText: "Rédiger le plan" }).allTextContents())
      .toContain(bt("dnd.moved", { title: "Rédiger le plan", list: "À faire" }));
    await cardIn(alice.page, "À faire", "Rédiger le plan").waitFor({ timeout: 10_000 });
  });

  it("quick-adds a card at the bottom of a list, seen live, and opens its details", async () => {
    const add = bob.page.getByRole("textbox", { name: `${bt("board.addCard")} — En cours` });
    await add.fill("Prévenir l’équipe");
    await add.press("Enter");
    await cardIn(alice.page, "En cours", "Prévenir l’équipe").waitFor({ timeout: 10_000 });
    // The board holds card summaries: the dialog fetches the description with the card.
    const added = (await view(bob.api)).cards.find((c) => c.title === "Prévenir l’équipe")!;
    await ok(bob.api.patch(`/api/boards/cards/${added.id}`, { description: "Par courriel" }));
    await alice.page.getByRole("button", { name: "Prévenir l’équipe", exact: true }).click();
    const dialog = alice.page.getByRole("dialog");
    await expect
      .poll(() => dialog.getByRole("textbox", { name: bt("card.description") }).inputValue())
      .toBe("Par courriel");
    await dialog.getByRole("textbox", { name: bt("card.comment") }).fill("Je m’en occupe");
    await dialog.getByRole("button", { name: bt("card.send") }).click();
    await dialog.getByText("Je m’en occupe").waitFor();
    await alice.page.keyboard.press("Escape");
  });

  it("the board page has no serious accessibility violation", async () => {
    const r = await new AxeBuilder({ page: bob.page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
      .analyze();
    const bad = r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(bad).toEqual([]);
  });

  it("« Mes tâches » on the boards home lists the card assigned to me, links to its board, axe-clean", async () => {
    const card = (await view(alice.api)).cards.find((c) => c.title === "Prévenir l’équipe")!;
    await ok(alice.api.patch(`/api/boards/cards/${card.id}`, { assigneeIds: [bob.id] }));
    await bob.page.goto("/boards");
    const tasks = bob.page.getByRole("region", { name: bt("myTasks.title") });
    await tasks.getByRole("link", { name: "Prévenir l’équipe" }).click();
    await bob.page.waitForURL(`**/boards/${boardId}`);
    await bob.page.goto("/boards");
    await tasks.getByRole("link", { name: "Prévenir l’équipe" }).waitFor();
    const r = await new AxeBuilder({ page: bob.page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
      .analyze();
    expect(r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  });
});
