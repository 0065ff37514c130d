import { afterAll, beforeAll, describe, it } from "vitest";
import {
  runMatrix,
  startTestServer,
  type MatrixContext,
  type MatrixRow,
  type Outcome,
  type TestClient,
  type TestServer,
} from "@ensemble/testkit";
import type { Comment } from "../../shared/schemas.ts";
import { addCard, addMember, addSwimlane, createBoard, ok, viewBoard } from "./boards-fixtures.ts";

/**
 * Every boards resource (checklist items included) × actor × action through the real API. Actors:
 * anonymous; a guest, a member and an administrator of the organisation who
 * are not on the board; the board's creator (its admin); members with the
 * roles normal, comment-only and read-only; a guest of the organisation
 * invited to this board only (as normal); a plain member of the group that
 * owns the board (« group » visibility) or of a group that owns nothing.
 */
type Extra = "normal" | "commentOnly" | "readOnly" | "boardGuest" | "groupMember";
interface BoardFixture {
  actors: Record<"owner" | Extra, TestClient>;
  boardId: string;
  listId: string;
  otherListId: string;
  swimlaneId: string;
  spareSwimlaneId: string;
  cardId: string;
  commentId: string;
  itemId: string;
  targetId: string;
}

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

type Visibility = "private" | "group" | "organisation";

function setup(visibility: Visibility) {
  return async (ctx: MatrixContext): Promise<BoardFixture> => {
    const [owner, normal, commentOnly, readOnly, boardGuest, target, groupMember] = await Promise.all([
      ctx.newUser(),
      ctx.newUser(),
      ctx.newUser(),
      ctx.newUser(),
      ctx.newUser(),
      ctx.newUser("guest"),
      ctx.newUser(),
    ]);
    let groupId: string | undefined;
    if (visibility === "group") {
      groupId = (await ok(owner.client.post<{ id: string }>("/api/groups", { name: `G ${owner.id}` }), "group")).id;
      await ok(owner.client.post(`/api/groups/${groupId}/members`, { userId: groupMember.id }), "group member");
    }
    const board = await createBoard(owner.client, { visibility, ...(groupId ? { groupId } : {}) });
    await Promise.all([
      addMember(owner.client, board.id, normal.id, "normal"),
      addMember(owner.client, board.id, commentOnly.id, "comment_only"),
      addMember(owner.client, board.id, readOnly.id, "read_only"),
      addMember(owner.client, board.id, boardGuest.id, "normal"),
    ]);
    const spare = await addSwimlane(owner.client, board.id);
    const view = await viewBoard(owner.client, board.id);
    const card = (await addCard(owner.client, board.id, { listId: view.lists[0]!.id })).card;
    // The plain member wrote the comment: its author and the board's admin may delete it.
    const comment = await ok(normal.client.post<Comment>(`/api/boards/cards/${card.id}/comments`, { text: "vu" }), "c");
    const item = await ok(
      owner.client.post<{ id: string }>(`/api/boards/cards/${card.id}/checklist`, { text: "Vérifier" }),
      "checklist item",
    );
    return {
      actors: {
        owner: owner.client,
        normal: normal.client,
        commentOnly: commentOnly.client,
        readOnly: readOnly.client,
        boardGuest: boardGuest.client,
        groupMember: groupMember.client,
      },
      boardId: board.id,
      listId: view.lists[0]!.id,
      otherListId: view.lists[1]!.id,
      swimlaneId: view.swimlanes[0]!.id,
      spareSwimlaneId: spare.id,
      cardId: card.id,
      commentId: comment.id,
      itemId: item.id,
      targetId: target.id,
    };
  };
}

type Actor = "anonymous" | "guest" | "member" | "owner" | "admin" | Extra;
type Expect = Record<Actor, Outcome>;
const A: Outcome = "allow";
const H: Outcome = "hidden";
const D: Outcome = "deny";
const U: Outcome = "auth";
/** Columns: anonymous, guest, member, owner (board admin), admin, normal, commentOnly, readOnly, boardGuest, groupMember. */
type O = Outcome;
const e = (...o: [O, O, O, O, O, O, O, O, O, O]): Expect => ({
  anonymous: o[0],
  guest: o[1],
  member: o[2],
  owner: o[3],
  admin: o[4],
  normal: o[5],
  commentOnly: o[6],
  readOnly: o[7],
  boardGuest: o[8],
  groupMember: o[9],
});

type F = BoardFixture;
const get = (path: (f: F) => string) => (f: F) => ({ method: "GET" as const, path: path(f) });
const send = (method: "POST" | "PATCH" | "DELETE", path: (f: F) => string, body?: (f: F) => unknown) => (f: F) => ({
  method,
  path: path(f),
  ...(body ? { body: body(f) } : {}),
});

const req = {
  "board.read": get((f) => `/api/boards/${f.boardId}`),
  "board.members": get((f) => `/api/boards/${f.boardId}/members`),
  "board.update": send(
    "PATCH",
    (f) => `/api/boards/${f.boardId}`,
    () => ({ title: "Renommé" }),
  ),
  "board.delete": send("DELETE", (f) => `/api/boards/${f.boardId}`),
  "member.add": send(
    "POST",
    (f) => `/api/boards/${f.boardId}/members`,
    (f) => ({ userId: f.targetId }),
  ),
  "list.create": send(
    "POST",
    (f) => `/api/boards/${f.boardId}/lists`,
    () => ({ title: "Nouvelle" }),
  ),
  "list.update": send(
    "PATCH",
    (f) => `/api/boards/lists/${f.listId}`,
    () => ({ wipLimit: 5 }),
  ),
  "list.move": send(
    "POST",
    (f) => `/api/boards/lists/${f.listId}/move`,
    () => ({ afterId: null }),
  ),
  "list.delete": send("DELETE", (f) => `/api/boards/lists/${f.otherListId}`),
  "swimlane.create": send(
    "POST",
    (f) => `/api/boards/${f.boardId}/swimlanes`,
    () => ({ title: "Ligne" }),
  ),
  "swimlane.update": send(
    "PATCH",
    (f) => `/api/boards/swimlanes/${f.swimlaneId}`,
    () => ({ title: "Ligne" }),
  ),
  "swimlane.move": send(
    "POST",
    (f) => `/api/boards/swimlanes/${f.spareSwimlaneId}/move`,
    () => ({ afterId: null }),
  ),
  "swimlane.delete": send("DELETE", (f) => `/api/boards/swimlanes/${f.spareSwimlaneId}`),
  "card.create": send(
    "POST",
    (f) => `/api/boards/${f.boardId}/cards`,
    (f) => ({ listId: f.listId, title: "Nouvelle" }),
  ),
  "card.read": get((f) => `/api/boards/cards/${f.cardId}`),
  "card.update": send(
    "PATCH",
    (f) => `/api/boards/cards/${f.cardId}`,
    () => ({ done: true }),
  ),
  "card.move": send(
    "POST",
    (f) => `/api/boards/cards/${f.cardId}/move`,
    (f) => ({ listId: f.otherListId }),
  ),
  "card.archive": send(
    "PATCH",
    (f) => `/api/boards/cards/${f.cardId}`,
    () => ({ archived: true }),
  ),
  "card.delete": send("DELETE", (f) => `/api/boards/cards/${f.cardId}`),
  "comment.list": get((f) => `/api/boards/cards/${f.cardId}/comments`),
  "comment.create": send(
    "POST",
    (f) => `/api/boards/cards/${f.cardId}/comments`,
    () => ({ text: "ok" }),
  ),
  "comment.delete": send("DELETE", (f) => `/api/boards/comments/${f.commentId}`),
  "checklist.read": get((f) => `/api/boards/cards/${f.cardId}/checklist`),
  "checklist.add": send(
    "POST",
    (f) => `/api/boards/cards/${f.cardId}/checklist`,
    () => ({ text: "Relire" }),
  ),
  "checklist.tick": send(
    "PATCH",
    (f) => `/api/boards/checklist-items/${f.itemId}`,
    () => ({ done: true }),
  ),
  "checklist.delete": send("DELETE", (f) => `/api/boards/checklist-items/${f.itemId}`),
} satisfies Record<string, (f: F) => { method: string; path: string; body?: unknown }>;

type Row = MatrixRow<F, Extra>;
const row = (action: keyof typeof req, expect: Expect): Row => ({ action, request: req[action], expect });
const rows = (actions: (keyof typeof req)[], expect: Expect): Row[] => actions.map((a) => row(a, expect));

const reads = ["board.read", "board.members", "card.read", "comment.list", "checklist.read"] as const;
const manage = ["board.update", "board.delete", "member.add"] as const;
const structure = [
  "list.create",
  "list.update",
  "list.move",
  "list.delete",
  "swimlane.create",
  "swimlane.update",
  "swimlane.move",
  "swimlane.delete",
] as const;
const cards = ["card.create", "card.update", "card.move", "card.archive", "card.delete", "checklist.tick"] as const;
// Checklist items follow the card's edit right: the other writes once, on private boards (the matrix is slow).
const checklistWrites = ["checklist.add", "checklist.delete"] as const;

const specs: Record<Visibility, Row[]> = {
  private: [
    ...rows([...reads], e(U, H, H, A, H, A, A, A, A, H)),
    ...rows([...manage], e(U, H, H, A, H, D, D, D, D, H)),
    ...rows([...structure, ...cards, ...checklistWrites], e(U, H, H, A, H, A, D, D, A, H)),
    row("comment.create", e(U, H, H, A, H, A, A, D, A, H)),
    row("comment.delete", e(U, H, H, A, H, A, D, D, D, H)),
  ],
  // The owning group's members read it (its owners administer it); outsiders, organisation admins included, do not see
  // it. Reading gives no other right: one row per resource kind's writes is enough to show it (the matrix is slow).
  group: [
    ...rows([...reads], e(U, H, H, A, H, A, A, A, A, A)),
    ...rows(["board.update", "member.add"], e(U, H, H, A, H, D, D, D, D, D)),
    ...rows(
      ["list.update", "swimlane.create", "card.create", "card.move", "checklist.tick"],
      e(U, H, H, A, H, A, D, D, A, D),
    ),
    row("comment.create", e(U, H, H, A, H, A, A, D, A, D)),
    row("comment.delete", e(U, H, H, A, H, A, D, D, D, D)),
  ],
  // Every member of the organisation reads it (not its guests); reading gives no other right.
  organisation: [
    ...rows([...reads], e(U, H, A, A, A, A, A, A, A, A)),
    ...rows([...manage], e(U, H, D, A, D, D, D, D, D, D)),
    ...rows([...structure, ...cards], e(U, H, D, A, D, A, D, D, A, D)),
    row("comment.create", e(U, H, D, A, D, A, A, D, A, D)),
    row("comment.delete", e(U, H, D, A, D, A, D, D, D, D)),
  ],
};

describe("boards authorization matrix", () => {
  for (const visibility of Object.keys(specs) as Visibility[]) {
    // A fresh board per cell: minutes on a loaded machine.
    it(`${visibility} boards, their lists, swimlanes, cards and comments`, { timeout: 900_000 }, async () => {
      await runMatrix<F, Extra>(s, {
        resource: `boards ${visibility}`,
        extraActors: ["normal", "commentOnly", "readOnly", "boardGuest", "groupMember"],
        setup: setup(visibility),
        rows: specs[visibility],
      });
    });
  }
});
