import { sql } from "kysely";
import type { TestClient, TestServer } from "@ensemble/testkit";
import type { Board, BoardView, CardChange, List, Swimlane } from "../../shared/schemas.ts";

/** Fails the test with the server's answer when a setup request does not succeed. */
export async function ok<T>(p: Promise<{ status: number; body: T; text: string }>, what: string): Promise<T> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${r.text}`);
  return r.body;
}

export const createBoard = (c: TestClient, body: Record<string, unknown> = {}) =>
  ok(
    c.post<Board>("/api/boards", { title: "Projet", lists: ["À faire", "En cours", "Fait"], ...body }),
    "create board",
  );

export const viewBoard = (c: TestClient, id: string) => ok(c.get<BoardView>(`/api/boards/${id}`), "view board");

export const addCard = (c: TestClient, boardId: string, body: Record<string, unknown>) =>
  ok(c.post<CardChange>(`/api/boards/${boardId}/cards`, { title: "Carte", ...body }), "add card");

export const addList = (c: TestClient, boardId: string, body: Record<string, unknown>) =>
  ok(c.post<List>(`/api/boards/${boardId}/lists`, { title: "Liste", ...body }), "add list");

export const addSwimlane = (c: TestClient, boardId: string, title = "Équipe") =>
  ok(c.post<Swimlane>(`/api/boards/${boardId}/swimlanes`, { title }), "add swimlane");

export const addMember = (c: TestClient, boardId: string, userId: string, role: string) =>
  ok(c.post(`/api/boards/${boardId}/members`, { userId, role }), "add member");

/** The titles of one list's cards in the board's order. */
export const titlesIn = (v: BoardView, listId: string): string[] =>
  v.cards.filter((c) => c.listId === listId).map((c) => c.title);

/** How many events of this name the server recorded (the outbox table, read directly). */
export async function countEvents(s: TestServer, name: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from events where name = ${name}`.execute(s.kernel.db);
  return Number(r.rows[0]!.n);
}
