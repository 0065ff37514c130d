import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import type { BoardView, ImportResult } from "../../shared/schemas.ts";
import { ok, viewBoard } from "./boards-fixtures.ts";

/**
 * Imports from the committed Trello and Wekan export files (each product's
 * export format, people matched by username), our own export read back, and
 * hostile files refused whole: a problem+json naming what is wrong, and not
 * one row written.
 */
let s: TestServer;
let alice: TestClient;
let aliceName: string;
beforeAll(async () => {
  s = await startTestServer();
  const a = await s.signedIn();
  alice = a.client;
  aliceName = a.user.username;
});
afterAll(() => s?.close());

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8").replaceAll("ALICE_LOGIN", aliceName),
  ) as Record<string, unknown>;
const json = { "content-type": "application/json" };
const importing = (c: TestClient, format: string, data: unknown) =>
  c.post<ImportResult>("/api/boards/import", { format, data });
const rows = async () => {
  const r = await sql<{ n: number }>`select (select count(*) from boards_boards) + (select count(*) from boards_cards)
    + (select count(*) from boards_lists) + (select count(*) from boards_comments) as n`.execute(s.kernel.db);
  return Number(r.rows[0]!.n);
};
const cellTitles = (v: BoardView, list: string, lane?: string) => {
  const l = v.lists.find((x) => x.title === list)!;
  const sl = lane ? v.swimlanes.find((x) => x.title === lane)! : v.swimlanes[0]!;
  return v.cards.filter((c) => c.listId === l.id && c.swimlaneId === sl.id).map((c) => c.title);
};

describe("boards import and export", () => {
  it("imports a Trello export: lists and cards in order, labels, due dates, comments, members by username", async () => {
    const { board, report } = await ok(importing(alice, "trello", fixture("trello-board.json")), "import");
    expect(report).toMatchObject({ lists: 3, swimlanes: 1, cards: 4, labels: 3, comments: 2, members: 0 });
    expect(report.unknownPeople).toEqual(["fantome"]);
    expect(report.skipped).toEqual({ checklists: 1, attachments: 2, closedLists: 1 });
    const v = await viewBoard(alice, board.id);
    expect(v.lists.map((l) => l.title)).toEqual(["À faire", "En cours", "Fait"]);
    expect(cellTitles(v, "À faire")).toEqual(["Maquettes de la page d’accueil", "Choisir la typographie"]);
    // A closed Trello card is archived: not on the board, still exported.
    expect(cellTitles(v, "En cours")).toEqual([]);
    const maquettes = v.cards.find((c) => c.title.startsWith("Maquettes"))!;
    expect(maquettes.dueAt).toBe("2027-02-01T10:00:00.000Z");
    expect(maquettes.commentCount).toBe(2);
    expect(v.board.labels.find((l) => l.id === maquettes.labelIds[0])).toMatchObject({ name: "Urgent", color: "red" });
    expect(maquettes.assigneeIds).toEqual([
      (await s.kernel.db.selectFrom("users").select("id").where("username", "=", aliceName).executeTakeFirstOrThrow())
        .id,
    ]);
    expect(v.cards.find((c) => c.title === "Mettre en ligne la recette")?.done).toBe(true);
    const comments = await ok(
      alice.get<{ items: { text: string }[] }>(`/api/boards/cards/${maquettes.id}/comments`),
      "c",
    );
    expect(comments.items.map((c) => c.text)).toEqual(["Première version prête", "Et la version sombre ?"]);
  });

  it("imports a Wekan export: swimlanes × lists, WIP limit, roles, assignees, comments", async () => {
    const bob = await s.signedIn();
    const w = fixture("wekan-board.json");
    const { board, report } = await ok(importing(bob.client, "wekan", w), "import");
    expect(report).toMatchObject({ lists: 2, swimlanes: 2, cards: 2, labels: 2, comments: 1, members: 1 });
    expect(report.unknownPeople).toEqual(["wekan-admin"]);
    const v = await viewBoard(bob.client, board.id);
    expect(v.swimlanes.map((x) => x.title)).toEqual(["Par défaut", "Urgent"]);
    expect(v.lists.map((l) => [l.title, l.wipLimit, l.wipMode])).toEqual([
      ["Nouveau", null, "soft"],
      ["En cours", 3, "hard"],
    ]);
    expect(cellTitles(v, "Nouveau", "Urgent")).toEqual(["Imprimante du 3e étage"]);
    expect(cellTitles(v, "En cours", "Par défaut")).toEqual(["Accès VPN"]);
    expect(v.members.map((m) => [m.username, m.role]).sort()).toEqual(
      [
        [aliceName, "comment_only"],
        [bob.user.username, "admin"],
      ].sort(),
    );
    // Alice, now a comment-only member, sees the board.
    expect((await alice.get(`/api/boards/${board.id}`)).status).toBe(200);
  });

  it("our own export reads back into the same board", async () => {
    const { board } = await ok(importing(alice, "trello", fixture("trello-board.json")), "import");
    const first = await ok(alice.get<Record<string, unknown>>(`/api/boards/${board.id}/export`), "export");
    const copy = await ok(importing(alice, "ensemble", first), "re-import");
    const second = await ok(alice.get<Record<string, unknown>>(`/api/boards/${copy.board.id}/export`), "export");
    // Ids are new; everything else is the same, in the same order.
    const withoutIds = (e: Record<string, unknown>) =>
      JSON.parse(
        JSON.stringify(e).replace(/"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"/g, '"id"'),
      ) as unknown;
    expect(withoutIds(second)).toEqual(withoutIds(first));
    expect((first.cards as unknown[]).length).toBe(4);
  });

  it("refuses a hostile or malformed export with problem+json and creates nothing", async () => {
    const before = await rows();
    const trello = fixture("trello-board.json");
    // Built as text: the nesting is deeper than a JSON.stringify of it would go.
    const deep = JSON.stringify({ format: "trello", data: { ...trello, desc: "DEEP" } }).replace(
      '"DEEP"',
      `${"[".repeat(10_000)}${"]".repeat(10_000)}`,
    );
    const cases: [string, unknown, number, string][] = [
      ["wrong types", { ...trello, lists: "toutes" }, 400, "boards_import_invalid"],
      ["script in a title", { ...trello, name: "<script>alert(1)</script>" }, 400, "boards_import_invalid"],
      [
        "markup in a card title",
        { ...trello, cards: [{ id: "x", name: "<img src=x onerror=alert(1)>", idList: "list-todo" }] },
        400,
        "boards_import_invalid",
      ],
      [
        "too many cards",
        {
          ...trello,
          cards: Array.from({ length: 20_001 }, (_, i) => ({ id: `c${i}`, name: "c", idList: "list-todo" })),
        },
        400,
        "boards_import_invalid",
      ],
    ];
    const raw = (body: string) => alice.request("POST", "/api/boards/import", undefined, { raw: body, headers: json });
    for (const [what, body, status, code] of [
      ...cases.map(([what, data, ...rest]) => [what, JSON.stringify({ format: "trello", data }), ...rest] as const),
      // Refused by the request pipeline itself, before the import reads it.
      ["deep nesting where text belongs", deep, 400, "validation"] as const,
    ]) {
      const r = await raw(body);
      expect([what, r.status, r.headers.get("content-type")]).toEqual([
        what,
        status,
        expect.stringContaining("application/problem+json"),
      ]);
      expect((r.body as unknown as { code: string }).code, what).toBe(code);
    }
    const bad = await importing(alice, "trello", { ...trello, name: "<b>Titre</b>" });
    expect((bad.body as unknown as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["title"]);
    // 50 MB is refused before it is read.
    const huge = await raw(`{"format":"trello","data":{"name":"${"x".repeat(50 * 1024 * 1024)}"}}`);
    expect(huge.status).toBe(413);
    expect(huge.headers.get("content-type")).toContain("application/problem+json");
    expect(await rows()).toBe(before);
  });
});
