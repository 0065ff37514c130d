import { expressionBuilder, type Expression, type SqlBool } from "kysely";
import { isUser, noRows, type Actor, type Kernel, type KernelTables, type ScopeRef } from "@ensemble/kernel";
import { BoardCapability, canOnBoard, OrgBoardsCapability, orgBoardsCapabilityTable } from "../shared/capabilities.ts";
import type { BoardsTables } from "./tables.ts";
import {
  BoardResource,
  BoardsOrgResource,
  CardResource,
  CommentResource,
  ListResource,
  SwimlaneResource,
  type BoardRecord,
} from "./resources.ts";

const org = (a: Actor, cap: OrgBoardsCapability) => isUser(a) && orgBoardsCapabilityTable.can(a.role, cap);
const has = (b: BoardRecord, cap: BoardCapability) => canOnBoard(b.viewerRole, cap);
const eb = expressionBuilder<KernelTables & BoardsTables>();

/**
 * Who sees a board: its members (explicit or, for the owning group's owners,
 * derived); the owning group's members when its visibility is « group »;
 * everyone who may browse boards (not guests) when it is « organisation ».
 * `boardVisibility` below is the same rule in SQL, for every list.
 */
export const mayReadBoard = (a: Actor, b: BoardRecord): boolean =>
  isUser(a) &&
  (b.viewerRole !== null ||
    (b.visibility === "group" && b.viewerInGroup) ||
    (b.visibility === "organisation" && org(a, OrgBoardsCapability.browse)));

/** `mayReadBoard` as one SQL condition on a board row (`ref("id")` is the board's id). */
function boardVisibility(a: Actor, ref: ScopeRef<{ id: string; group_id: string | null; visibility: string }>) {
  if (!isUser(a)) return noRows;
  const groupsWhere = (roles: "owner" | "any") => {
    let q = eb.selectFrom("group_members").select("group_id").where("user_id", "=", a.id);
    if (roles === "owner") q = q.where("role", "=", "owner");
    return q;
  };
  const or: Expression<SqlBool>[] = [
    eb(ref("id"), "in", eb.selectFrom("boards_members").select("board_id").where("user_id", "=", a.id)),
    eb(ref("group_id"), "in", groupsWhere("owner")),
    eb.and([eb(ref("visibility"), "=", "group"), eb(ref("group_id"), "in", groupsWhere("any"))]),
  ];
  if (org(a, OrgBoardsCapability.browse)) or.push(eb(ref("visibility"), "=", "organisation"));
  return eb.or(or);
}

/** Rows that belong to a board (lists, swimlanes, cards, comments) are seen wherever their board is. */
const onVisibleBoard = (k: Kernel) => (a: Actor, ref: ScopeRef<{ board_id: string }>) =>
  eb(
    ref("board_id"),
    "in",
    eb.selectFrom("boards_boards as vb").select("vb.id").where(k.policy.scope(BoardResource, a)("vb")),
  );

/** Every boards rule: board capabilities come from the role table (shared/capabilities.ts). */
export function boardsPolicies(k: Kernel): void {
  const p = k.policy;
  p.organisation(BoardsOrgResource);
  p.allow(BoardsOrgResource, "read", (a) => isUser(a));
  p.allow(BoardsOrgResource, "create", (a) => org(a, OrgBoardsCapability.create));

  p.allow(BoardResource, "read", mayReadBoard);
  p.visibility(BoardResource, boardVisibility);
  for (const kind of [ListResource, SwimlaneResource, CardResource, CommentResource])
    p.visibility(kind, onVisibleBoard(k));
  p.allow(BoardResource, ["update", "delete"], (_a, b) => has(b, BoardCapability.manage));
  p.allow(BoardResource, "manage_members", (_a, b) => has(b, BoardCapability.manageMembers));
  p.allow(BoardResource, "edit_structure", (_a, b) => has(b, BoardCapability.editStructure));
  p.allow(BoardResource, "create_card", (_a, b) => has(b, BoardCapability.editCards));
  p.allow(BoardResource, "comment", (_a, b) => has(b, BoardCapability.comment));

  for (const kind of [ListResource, SwimlaneResource]) {
    p.allow(kind, "read", (a, r) => mayReadBoard(a, r.board));
    p.allow(kind, ["update", "move", "delete"], (_a, r) => has(r.board, BoardCapability.editStructure));
  }

  p.allow(CardResource, "read", (a, c) => mayReadBoard(a, c.board));
  p.allow(CardResource, ["update", "move", "delete"], (_a, c) => has(c.board, BoardCapability.editCards));
  p.allow(CardResource, "comment", (_a, c) => has(c.board, BoardCapability.comment));

  p.allow(CommentResource, "read", (a, c) => mayReadBoard(a, c.board));
  // Authors take back their own words while they may still comment; board admins moderate.
  p.allow(
    CommentResource,
    "delete",
    (a, c) =>
      (isUser(a) && c.author_id === a.id && has(c.board, BoardCapability.comment)) ||
      has(c.board, BoardCapability.moderateComments),
  );
}
