import { orgResource, resourceKind } from "@ensemble/kernel";
import type { BoardRole } from "../shared/capabilities.ts";
import { boardActions, BoardResourceTypes, cardActions, commentActions, laneActions } from "../shared/resources.ts";
import type {
  BoardsBoardsTable,
  BoardsCardsTable,
  BoardsCommentsTable,
  BoardsListsTable,
  BoardsSwimlanesTable,
} from "./tables.ts";

/**
 * A board as the policy sees it: the row, the viewer's role (the strongest of
 * an explicit membership and the owning group's: its owners administer) and
 * whether the viewer belongs to the owning group, read in one statement.
 */
export type BoardRecord = BoardsBoardsTable & { viewerRole: BoardRole | null; viewerInGroup: boolean };
export type ListRecord = BoardsListsTable & { board: BoardRecord };
export type SwimlaneRecord = BoardsSwimlanesTable & { board: BoardRecord };
export type CardRecord = BoardsCardsTable & { board: BoardRecord };
export type CommentRecord = BoardsCommentsTable & { board: BoardRecord };

export const BoardResource = resourceKind<BoardRecord>()(BoardResourceTypes.board, boardActions);
export const ListResource = resourceKind<ListRecord>()(BoardResourceTypes.list, laneActions);
export const SwimlaneResource = resourceKind<SwimlaneRecord>()(BoardResourceTypes.swimlane, laneActions);
export const CardResource = resourceKind<CardRecord>()(BoardResourceTypes.card, cardActions);
export const CommentResource = resourceKind<CommentRecord>()(BoardResourceTypes.comment, commentActions);

/** Boards in the organisation (reported on `/api/me` as `boards.create`). */
export const BoardsOrgResource = orgResource("boards", ["create"] as const);
