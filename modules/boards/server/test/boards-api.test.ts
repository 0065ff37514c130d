import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import type { BoardPage, BoardView, Card, CardChange, Comment } from "../../shared/schemas.ts";
import {
  addCard,
  addList,
  countEvents,
  addMember,
  addSwimlane,
  createBoard,
  ok,
  titlesIn,
  viewBoard,
} from "./boards-fixtures.ts";

let s: TestServer;
let alice: TestClient;
let bob: { client: TestClient; user: { id: string } };
beforeAll(async () => {
  s = await startTestServer();
  alice = (await s.signedIn()).client;
  bob = await s.signedIn();
});
afterAll(() => s?.close());

describe("boards API", () => {
  it("creates a board with its lists and one swimlane, listed for its creator only", async () => {
    const board = await createBoard(alice, { title: "Lancement" });
    expect(board.actions).toContain("update");
    const view = await viewBoard(alice, board.id);
    expect(view.lists.map((l) => l.title)).toEqual(["À faire", "En cours", "Fait"]);
    expect(view.swimlanes).toHaveLength(1);
    expect(view.members.map((m) => m.role)).toEqual(["admin"]);
    const mine = await ok(alice.get<BoardPage>("/api/boards"), "list");
    expect(mine.items.map((b) => b.id)).toContain(board.id);
    const bobs = await ok(bob.client.get<BoardPage>("/api/boards"), "list");
    expect(bobs.items.map((b) => b.id)).not.toContain(board.id);
    expect((await bob.client.get(`/api/boards/${board.id}`)).status).toBe(404);
  });

  it("an organisation-visible board is listed and readable by every member, not writable", async () => {
    const board = await createBoard(alice, { visibility: "organisation" });
    const bobs = await ok(bob.client.get<BoardPage>("/api/boards"), "list");
    const seen = bobs.items.find((b) => b.id === board.id);
    expect(seen?.actions).toEqual(["read"]);
    const view = await viewBoard(bob.client, board.id);
    expect(
      (await bob.client.post(`/api/boards/${board.id}/cards`, { listId: view.lists[0]!.id, title: "x" })).status,
    ).toBe(403);
  });

  it("a group-visible board is listed for the owning group's members, administered by its owners, hidden from others", async () => {
    const carol = await s.signedIn();
    const group = await ok(alice.post<{ id: string }>("/api/groups", { name: "Équipe support" }), "group");
    await ok(alice.post(`/api/groups/${group.id}/members`, { userId: bob.user.id }), "member");
    const board = await createBoard(carol.client, { visibility: "group", groupId: group.id }).catch(() => null);
    // Only a member of a group gives it a board.
    expect(board).toBeNull();
    const groupBoard = await createBoard(bob.client, { visibility: "group", groupId: group.id });
    const listed = async (c: TestClient) =>
      (await ok(c.get<BoardPage>("/api/boards"), "list")).items.find((b) => b.id === groupBoard.id);
    expect((await listed(alice))?.actions).toContain("manage_members");
    expect((await listed(bob.client))?.actions).toContain("update");
    expect(await listed(carol.client)).toBeUndefined();
    expect((await carol.client.get(`/api/boards/${groupBoard.id}`)).status).toBe(404);
  });

  it("places cards by the neighbours named: after, before, top, bottom, and falls back when they are gone", async () => {
    const board = await createBoard(alice);
    const v = await viewBoard(alice, board.id);
    const list = v.lists[0]!.id;
    const a = (await addCard(alice, board.id, { listId: list, title: "A" })).card;
    const c = (await addCard(alice, board.id, { listId: list, title: "C" })).card;
    await addCard(alice, board.id, { listId: list, title: "B", afterId: a.id });
    await addCard(alice, board.id, { listId: list, title: "0", afterId: null });
    await addCard(alice, board.id, { listId: list, title: "Bc", beforeId: c.id });
    expect(titlesIn(await viewBoard(alice, board.id), list)).toEqual(["0", "A", "B", "Bc", "C"]);
    // A neighbour deleted meanwhile: `afterId` gone, `beforeId` still there.
    await ok(alice.delete(`/api/boards/cards/${a.id}`), "delete");
    await addCard(alice, board.id, { listId: list, title: "X", afterId: a.id, beforeId: c.id });
    // Both gone: the bottom.
    await addCard(alice, board.id, { listId: list, title: "Z", afterId: a.id, beforeId: a.id });
    expect(titlesIn(await viewBoard(alice, board.id), list)).toEqual(["0", "B", "Bc", "X", "C", "Z"]);
  });

  it("moves a card across lists and swimlanes, announcing the move", async () => {
    const board = await createBoard(alice);
    const lane = await addSwimlane(alice, board.id);
    const v = await viewBoard(alice, board.id);
    const [todo, doing] = v.lists;
    const card = (await addCard(alice, board.id, { listId: todo!.id, title: "Déménager" })).card;
    const moved = await ok(
      alice.post<CardChange>(`/api/boards/cards/${card.id}/move`, { listId: doing!.id, swimlaneId: lane.id }),
      "move",
    );
    expect(moved.card).toMatchObject({ listId: doing!.id, swimlaneId: lane.id });
    expect(await countEvents(s, "boards.card.moved")).toBeGreaterThan(0);
  });

  it("WIP limits: a soft list warns, a hard list refuses with boards_wip_limit and changes nothing", async () => {
    const board = await createBoard(alice, { lists: ["Source"] });
    const source = (await viewBoard(alice, board.id)).lists[0]!;
    const soft = await addList(alice, board.id, { title: "Souple", wipLimit: 1, wipMode: "soft" });
    const hard = await addList(alice, board.id, { title: "Stricte", wipLimit: 1, wipMode: "hard" });
    const cards: Card[] = [];
    for (const t of ["1", "2", "3"]) cards.push((await addCard(alice, board.id, { listId: source.id, title: t })).card);
    const first = await ok(alice.post<CardChange>(`/api/boards/cards/${cards[0]!.id}/move`, { listId: soft.id }), "m");
    expect(first.wipExceeded).toBe(false);
    const second = await ok(alice.post<CardChange>(`/api/boards/cards/${cards[1]!.id}/move`, { listId: soft.id }), "m");
    expect(second.wipExceeded).toBe(true);
    await ok(alice.post(`/api/boards/cards/${cards[2]!.id}/move`, { listId: hard.id }), "first into hard");
    const refused = await alice.post<{ code: string }>(`/api/boards/cards/${cards[1]!.id}/move`, { listId: hard.id });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("boards_wip_limit");
    const created = await alice.post<{ code: string }>(`/api/boards/${board.id}/cards`, {
      listId: hard.id,
      title: "4",
    });
    expect(created.body.code).toBe("boards_wip_limit");
    const after = await viewBoard(alice, board.id);
    expect(titlesIn(after, hard.id)).toEqual(["3"]);
    expect(titlesIn(after, soft.id)).toEqual(["1", "2"]);
    // Reordering inside a full hard list is no entry: allowed.
    await ok(
      alice.post(`/api/boards/cards/${cards[2]!.id}/move`, { listId: hard.id, afterId: null }),
      "reorder in place",
    );
  });

  it("cards carry labels, assignees, due date, done; archived cards leave the board view", async () => {
    const board = await createBoard(alice);
    await addMember(alice, board.id, bob.user.id, "normal");
    const withLabels = await ok(
      alice.patch<{ labels: { id: string }[] }>(`/api/boards/${board.id}`, {
        labels: [{ name: "Urgent", color: "red" }],
      }),
      "labels",
    );
    const label = withLabels.labels[0]!.id;
    const list = (await viewBoard(alice, board.id)).lists[0]!.id;
    const card = (await addCard(bob.client, board.id, { listId: list, title: "Écrire" })).card;
    const due = "2027-01-15T09:00:00.000Z";
    const edited = await ok(
      bob.client.patch<Card>(`/api/boards/cards/${card.id}`, {
        labelIds: [label],
        assigneeIds: [bob.user.id],
        dueAt: due,
        done: true,
        description: "Le **plan**",
      }),
      "edit",
    );
    expect(edited).toMatchObject({ labelIds: [label], assigneeIds: [bob.user.id], dueAt: due, done: true });
    const bad = await bob.client.patch(`/api/boards/cards/${card.id}`, { labelIds: [crypto.randomUUID()] });
    expect(bad.status).toBe(400);
    await ok(bob.client.patch(`/api/boards/cards/${card.id}`, { archived: true }), "archive");
    expect((await viewBoard(alice, board.id)).cards).toHaveLength(0);
    await ok(bob.client.patch(`/api/boards/cards/${card.id}`, { archived: false }), "restore");
    const restored = (await viewBoard(alice, board.id)).cards;
    expect(restored.map((c) => c.id)).toEqual([card.id]);
    // The board carries what the page shows of a card; the description comes with the card.
    expect(Object.keys(restored[0]!).sort()).toEqual([
      "assigneeIds",
      "checklistDone",
      "checklistTotal",
      "commentCount",
      "done",
      "dueAt",
      "id",
      "labelIds",
      "listId",
      "position",
      "swimlaneId",
      "title",
    ]);
    expect((await ok(alice.get<Card>(`/api/boards/cards/${card.id}`), "card")).description).toBe("Le **plan**");
  });

  it("comments: add, list, count on the card, delete by the author", async () => {
    const board = await createBoard(alice);
    const list = (await viewBoard(alice, board.id)).lists[0]!.id;
    const card = (await addCard(alice, board.id, { listId: list })).card;
    const comment = await ok(alice.post<Comment>(`/api/boards/cards/${card.id}/comments`, { text: "Bien vu" }), "c");
    const listed = await ok(alice.get<{ items: Comment[] }>(`/api/boards/cards/${card.id}/comments`), "l");
    expect(listed.items.map((c) => c.text)).toEqual(["Bien vu"]);
    expect((await ok(alice.get<Card>(`/api/boards/cards/${card.id}`), "card")).commentCount).toBe(1);
    await ok(alice.delete(`/api/boards/comments/${comment.id}`), "delete");
    expect((await ok(alice.get<Card>(`/api/boards/cards/${card.id}`), "card")).commentCount).toBe(0);
  });

  it("a board keeps one member who manages members; a board keeps one swimlane", async () => {
    const board = await createBoard(alice);
    const me = (await viewBoard(alice, board.id)).members[0]!.userId;
    expect((await alice.patch(`/api/boards/${board.id}/members/${me}`, { role: "normal" })).status).toBe(409);
    expect((await alice.delete(`/api/boards/${board.id}/members/${me}`)).status).toBe(409);
    const lane = (await viewBoard(alice, board.id)).swimlanes[0]!;
    expect((await alice.delete(`/api/boards/swimlanes/${lane.id}`)).status).toBe(409);
  });

  it("lists and swimlanes reorder by the same rule", async () => {
    const board = await createBoard(alice);
    const v: BoardView = await viewBoard(alice, board.id);
    const [a, b, c] = v.lists;
    await ok(alice.post(`/api/boards/lists/${c!.id}/move`, { afterId: null }), "to top");
    await ok(alice.post(`/api/boards/lists/${a!.id}/move`, { beforeId: b!.id }), "noop-ish");
    expect((await viewBoard(alice, board.id)).lists.map((l) => l.title)).toEqual(["Fait", "À faire", "En cours"]);
  });
});

describe("the conflict rule", () => {
  it("two cards sharing a key sort by id, and the next placement between them re-keys the cell", async () => {
    const board = await createBoard(alice);
    const list = (await viewBoard(alice, board.id)).lists[0]!.id;
    const a = (await addCard(alice, board.id, { listId: list, title: "A" })).card;
    const c = (await addCard(alice, board.id, { listId: list, title: "C" })).card;
    const b = (await addCard(alice, board.id, { listId: list, title: "B", afterId: a.id })).card;
    await ok(alice.patch(`/api/boards/cards/${b.id}`, { archived: true }), "archive");
    // Placed between the same neighbours, the new card takes the archived one's key.
    const b2 = (await addCard(alice, board.id, { listId: list, title: "B2", afterId: a.id })).card;
    expect(b2.position).toBe(b.position);
    await ok(alice.patch(`/api/boards/cards/${b.id}`, { archived: false }), "restore");
    const tied = await viewBoard(alice, board.id);
    expect(titlesIn(tied, list)).toEqual(["A", ...(b.id < b2.id ? ["B", "B2"] : ["B2", "B"]), "C"]);
    const first = b.id < b2.id ? b : b2;
    const x = (await addCard(alice, board.id, { listId: list, title: "X", afterId: first.id })).card;
    const after = await viewBoard(alice, board.id);
    const keys = after.cards.filter((k) => k.listId === list).map((k) => k.position);
    expect(new Set(keys).size).toBe(keys.length);
    expect(after.cards.filter((k) => k.listId === list).map((k) => k.id)).toEqual([
      a.id,
      first.id,
      x.id,
      first.id === b.id ? b2.id : b.id,
      c.id,
    ]);
    expect(await countEvents(s, "boards.card.rekeyed")).toBe(1);
  });
});
