import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import type { MyTasks } from "../../shared/schemas.ts";
import { addCard, addMember, createBoard, ok, viewBoard } from "./boards-fixtures.ts";

/**
 * « Mes tâches » lists the cards assigned to the viewer, open and not done,
 * on the boards the policy's scope lets them read — leaving a board takes its
 * cards out of the list — soonest due first, undated last.
 */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

describe("« Mes tâches »", () => {
  it("lists my open cards across the boards I may read, soonest due first", async () => {
    const alice = await s.signedIn();
    const bob = await s.signedIn();
    const mine = async () =>
      (await ok(bob.client.get<MyTasks>("/api/boards/my-tasks"), "my tasks")).items.map((c) => [c.title, c.boardTitle]);
    const boards = [
      await createBoard(alice.client, { title: "Chantier" }),
      await createBoard(alice.client, { title: "Support" }),
    ];
    for (const b of boards) await addMember(alice.client, b.id, bob.user.id, "normal");
    const card = async (b: number, title: string, patch: Record<string, unknown>) => {
      const list = (await viewBoard(alice.client, boards[b]!.id)).lists[0]!.id;
      const c = (await addCard(alice.client, boards[b]!.id, { listId: list, title })).card;
      await ok(alice.client.patch(`/api/boards/cards/${c.id}`, patch), "edit");
      return c.id;
    };
    const assigned = { assigneeIds: [bob.user.id] };
    await card(0, "Sans date", assigned);
    await card(1, "Vendredi", { ...assigned, dueAt: "2027-01-08T12:00:00.000Z" });
    await card(0, "Lundi", { ...assigned, dueAt: "2027-01-04T12:00:00.000Z" });
    await card(0, "Pour Alice", { assigneeIds: [alice.user.id] });
    await card(1, "Déjà faite", { ...assigned, done: true });
    const archived = await card(1, "Rangée", assigned);
    await ok(alice.client.patch(`/api/boards/cards/${archived}`, { archived: true }), "archive");
    expect(await mine()).toEqual([
      ["Lundi", "Chantier"],
      ["Vendredi", "Support"],
      ["Sans date", "Chantier"],
    ]);
    // Off the board, its cards leave the list even though they still name Bob.
    await ok(alice.client.delete(`/api/boards/${boards[1]!.id}/members/${bob.user.id}`), "remove");
    expect(await mine()).toEqual([
      ["Lundi", "Chantier"],
      ["Sans date", "Chantier"],
    ]);
    expect((await ok(alice.client.get<MyTasks>("/api/boards/my-tasks"), "alice")).items.map((c) => c.title)).toEqual([
      "Pour Alice",
    ]);
  });
});
