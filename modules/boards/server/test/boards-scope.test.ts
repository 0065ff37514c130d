import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor, RowScope } from "@ensemble/kernel";
import type { TestServer } from "@ensemble/testkit";
import { scopedIds, scopeGroup, startScopeServer, type PoolUser } from "@ensemble/testkit/scope-actors";
import { boardRoles } from "../../shared/capabilities.ts";
import { loadBoard, loadCard, loadComment, loadList, loadSwimlane } from "../boards.ts";
import { BoardResource, CardResource, CommentResource, ListResource, SwimlaneResource } from "../resources.ts";
import { boardsDb, type BoardsDb } from "../tables.ts";

/**
 * Boards and what hangs on them: the ids `policy.scope` lets a query return
 * are exactly those `policy.can(actor, kind, "read", row)` accepts, for
 * generated boards (private, group or organisation visibility; owned by a
 * person or by one of two groups whose members and owners are generated;
 * members with any board role) and every kind of actor (admin, members,
 * guests, a deactivated member, a read-only token, the anonymous visitor).
 * The board list filters through the scope while the board routes answer
 * 404 through `can`: they cannot drift apart.
 */
let server: TestServer;
let pool: PoolUser[];
let actors: Actor[];
beforeAll(async () => ({ server, pool, actors } = await startScopeServer()));
afterAll(async () => server.close());

const membersArb = <R extends string>(roles: readonly R[]) =>
  fc.uniqueArray(fc.record({ user: fc.nat({ max: 6 }), role: fc.constantFrom(...roles) }), {
    selector: (m) => m.user,
    maxLength: 4,
  });
const boardArb = fc.record({
  visibility: fc.constantFrom("private" as const, "group" as const, "organisation" as const),
  group: fc.constantFrom(null, 0, 1),
  members: membersArb(boardRoles),
});

type BoardSpec = typeof boardArb extends fc.Arbitrary<infer T> ? T : never;
type Kinds = "board" | "list" | "swimlane" | "card" | "comment";

/** One board with one list, swimlane, card and comment: the ids of each, by kind. */
async function insertBoard(db: BoardsDb, b: BoardSpec, groups: string[]) {
  const now = new Date().toISOString();
  const ids: Record<Kinds, string> = {
    board: randomUUID(),
    list: randomUUID(),
    swimlane: randomUUID(),
    card: randomUUID(),
    comment: randomUUID(),
  };
  const board_id = ids.board;
  await db
    .insertInto("boards_boards")
    .values({
      id: board_id,
      title: "B",
      description: "",
      visibility: b.visibility,
      group_id: b.group === null ? null : groups[b.group]!,
      created_by: null,
      labels: "[]",
      version: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  for (const m of b.members)
    await db
      .insertInto("boards_members")
      .values({ board_id, user_id: pool[m.user]!.id, role: m.role, created_at: now })
      .execute();
  const lane = { board_id, title: "L", position: "a0", created_at: now };
  await db
    .insertInto("boards_lists")
    .values({ id: ids.list, ...lane, wip_limit: null, wip_mode: "soft" })
    .execute();
  await db
    .insertInto("boards_swimlanes")
    .values({ id: ids.swimlane, ...lane })
    .execute();
  await db
    .insertInto("boards_cards")
    .values({
      id: ids.card,
      board_id,
      list_id: ids.list,
      swimlane_id: ids.swimlane,
      title: "C",
      description: "",
      label_ids: "[]",
      assignee_ids: "[]",
      due_at: null,
      done: 0,
      archived_at: null,
      position: "a0",
      comment_count: 1,
      checklist_done: 0,
      checklist_total: 0,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto("boards_comments")
    .values({ id: ids.comment, card_id: ids.card, board_id, author_id: null, text: "c", created_at: now })
    .execute();
  return ids;
}

const tables: Record<Kinds, string> = {
  board: "boards_boards",
  list: "boards_lists",
  swimlane: "boards_swimlanes",
  card: "boards_cards",
  comment: "boards_comments",
};

describe("boards: policy.scope agrees with policy.can", () => {
  it("for boards, lists, swimlanes, cards and comments, whoever asks", async () => {
    const db = boardsDb(server.kernel);
    const policy = server.kernel.policy;
    const readable: Record<Kinds, (id: string, a: Actor) => Promise<boolean>> = {
      board: async (id, a) => policy.can(a, BoardResource, "read", (await loadBoard(db, id, a))!),
      list: async (id, a) => policy.can(a, ListResource, "read", (await loadList(db, id, a))!),
      swimlane: async (id, a) => policy.can(a, SwimlaneResource, "read", (await loadSwimlane(db, id, a))!),
      card: async (id, a) => policy.can(a, CardResource, "read", (await loadCard(db, id, a))!),
      comment: async (id, a) => policy.can(a, CommentResource, "read", (await loadComment(db, id, a))!),
    };
    const scopes: Record<Kinds, (a: Actor) => RowScope> = {
      board: (a) => policy.scope(BoardResource, a),
      list: (a) => policy.scope(ListResource, a),
      swimlane: (a) => policy.scope(SwimlaneResource, a),
      card: (a) => policy.scope(CardResource, a),
      comment: (a) => policy.scope(CommentResource, a),
    };
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(membersArb(["owner", "member"] as const), membersArb(["owner", "member"] as const)),
        fc.array(boardArb, { minLength: 1, maxLength: 4 }),
        async (groupMembers, boards) => {
          const groups = [
            await scopeGroup(server, pool, groupMembers[0]),
            await scopeGroup(server, pool, groupMembers[1]),
          ];
          const made = [];
          for (const b of boards) made.push(await insertBoard(db, b, groups));
          for (const actor of actors)
            for (const kind of Object.keys(tables) as Kinds[]) {
              const ids = made.map((m) => m[kind]);
              const seen = await scopedIds(db, tables[kind], ids, scopes[kind](actor));
              const expected: string[] = [];
              for (const id of ids) if (await readable[kind](id, actor)) expected.push(id);
              expect(seen, `${kind}s seen by ${label(actor)}`).toEqual(expected.sort());
            }
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);
});

const label = (a: Actor) => (a.kind === "user" ? `${a.role} ${a.username}${a.scopes ? " (token)" : ""}` : "anonymous");
