import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { realtimeClient, startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";
import type { Checklist, ChecklistItem } from "../../shared/checklists.ts";
import { boardTopic } from "../../shared/resources.ts";
import type { CardSummary } from "../../shared/schemas.ts";
import { addCard, addMember, countEvents, createBoard, ok, viewBoard } from "./boards-fixtures.ts";

/** Checklists on cards: items with assignee and due date, progress on the card summary, live. */

let s: TestServer;
let alice: TestClient;
let bob: { client: TestClient; user: { id: string } };
let carol: { client: TestClient; user: { id: string } };
beforeAll(async () => {
  s = await startTestServer();
  alice = (await s.signedIn()).client;
  bob = await s.signedIn();
  carol = await s.signedIn();
});
afterAll(() => s?.close());

async function boardWithCard() {
  const board = await createBoard(alice);
  const view = await viewBoard(alice, board.id);
  const { card } = await addCard(alice, board.id, { listId: view.lists[0]!.id, title: "Préparer l’atelier" });
  return { board, card };
}
const summary = async (boardId: string, cardId: string): Promise<CardSummary> =>
  (await viewBoard(alice, boardId)).cards.find((c) => c.id === cardId)!;
const itemCount = async (cardId: string) =>
  Number(
    (
      await sql<{ n: number }>`select count(*) as n from boards_checklist_items where card_id = ${cardId}`.execute(
        s.kernel.db,
      )
    ).rows[0]!.n,
  );

describe("checklists", () => {
  it("adds items in order with assignee and due date; progress follows on the card, live for viewers", async () => {
    const { board, card } = await boardWithCard();
    await addMember(alice, board.id, bob.user.id, "normal");
    const updates: CardSummary[] = [];
    const rt = realtimeClient(s.url, bob.client);
    try {
      const sub = rt.subscribe(boardTopic(board.id), {
        onEvent: (event) => {
          if (event.name === "boards.card.updated") updates.push((event.payload as { card: CardSummary }).card);
        },
      });
      await sub.ready;
      const add = (body: Record<string, unknown>) =>
        ok(bob.client.post<ChecklistItem>(`/api/boards/cards/${card.id}/checklist`, body), "add item");
      const first = await add({
        text: "Réserver la salle",
        assigneeId: bob.user.id,
        dueAt: "2027-01-15T09:00:00+01:00",
      });
      await add({ text: "Envoyer l’invitation" });
      const third = await add({ text: "Imprimer les supports" });
      expect(first).toMatchObject({ assigneeId: bob.user.id, dueAt: "2027-01-15T08:00:00.000Z", done: false });

      const list = await ok(alice.get<Checklist>(`/api/boards/cards/${card.id}/checklist`), "checklist");
      expect(list.items.map((i) => i.text)).toEqual([
        "Réserver la salle",
        "Envoyer l’invitation",
        "Imprimer les supports",
      ]);

      const ticked = await ok(
        bob.client.patch<ChecklistItem>(`/api/boards/checklist-items/${first.id}`, { done: true }),
        "tick",
      );
      expect(ticked.done).toBe(true);
      expect(await summary(board.id, card.id)).toMatchObject({ checklistDone: 1, checklistTotal: 3 });
      expect((await alice.delete(`/api/boards/checklist-items/${third.id}`)).status).toBe(204);
      expect(await summary(board.id, card.id)).toMatchObject({ checklistDone: 1, checklistTotal: 2 });

      // Reassigning and re-dating changes the item, not the progress.
      const moved = await ok(
        alice.patch<ChecklistItem>(`/api/boards/checklist-items/${first.id}`, { assigneeId: null, dueAt: null }),
        "edit",
      );
      expect(moved).toMatchObject({ assigneeId: null, dueAt: null, done: true });
      await waitFor(
        () => updates.at(-1)?.checklistTotal === 2 && updates.at(-1)?.checklistDone === 1,
        "the viewer to get the card's progress",
      );
    } finally {
      rt.close();
    }
    expect(await countEvents(s, "boards.checklist_item.created")).toBeGreaterThanOrEqual(3);
    expect(await countEvents(s, "boards.checklist_item.deleted")).toBeGreaterThanOrEqual(1);
  });

  it("refuses bad input and changes nothing; an assignee must be someone the editor may see", async () => {
    const { card } = await boardWithCard();
    for (const body of [{ text: "   " }, { text: "x".repeat(501) }, { text: "ok", dueAt: "demain" }, { text: 3 }]) {
      const r = await alice.post(`/api/boards/cards/${card.id}/checklist`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.headers.get("content-type")).toContain("application/problem+json");
    }
    const unknown = await alice.post(`/api/boards/cards/${card.id}/checklist`, {
      text: "ok",
      assigneeId: "00000000-0000-7000-8000-000000000000",
    });
    expect(unknown.status).toBe(404);
    expect(await itemCount(card.id)).toBe(0);
    const item = await ok(alice.post<ChecklistItem>(`/api/boards/cards/${card.id}/checklist`, { text: "a" }), "add");
    expect((await alice.patch(`/api/boards/checklist-items/${item.id}`, { done: "oui" })).status).toBe(400);
    expect((await alice.patch(`/api/boards/checklist-items/${item.id}`, { text: "" })).status).toBe(400);
    const after = await ok(alice.get<Checklist>(`/api/boards/cards/${card.id}/checklist`), "checklist");
    expect(after.items).toEqual([item]);
  });

  it("read-only members read it, cannot change it; outsiders do not see it; the card takes its items along", async () => {
    const { board, card } = await boardWithCard();
    await addMember(alice, board.id, bob.user.id, "read_only");
    const item = await ok(alice.post<ChecklistItem>(`/api/boards/cards/${card.id}/checklist`, { text: "a" }), "add");
    expect((await bob.client.get(`/api/boards/cards/${card.id}/checklist`)).status).toBe(200);
    expect((await bob.client.post(`/api/boards/cards/${card.id}/checklist`, { text: "b" })).status).toBe(403);
    expect((await bob.client.patch(`/api/boards/checklist-items/${item.id}`, { done: true })).status).toBe(403);
    expect((await carol.client.get(`/api/boards/cards/${card.id}/checklist`)).status).toBe(404);
    expect((await carol.client.delete(`/api/boards/checklist-items/${item.id}`)).status).toBe(404);
    expect((await s.client().get(`/api/boards/cards/${card.id}/checklist`)).status).toBe(401);
    expect((await alice.delete(`/api/boards/cards/${card.id}`)).status).toBe(204);
    expect(await itemCount(card.id)).toBe(0);
    expect((await alice.patch(`/api/boards/checklist-items/${item.id}`, { done: true })).status).toBe(404);
  });
});
