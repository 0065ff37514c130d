import type { Kysely } from "kysely";
import type { Kernel, KernelTables } from "@ensemble/kernel";
import type { BoardRole } from "../shared/capabilities.ts";
import type { Visibility } from "../shared/schemas.ts";

/** Boards tables (the kernel's conventions: text ids and times, 0/1 booleans, JSON as text). */
export interface BoardsBoardsTable {
  id: string;
  title: string;
  description: string;
  visibility: Visibility;
  /** The owning group; null for a board its creator owns. */
  group_id: string | null;
  created_by: string | null;
  /** JSON: Label[]. */
  labels: string;
  /** Bumped by every write on the board: the row lock that serialises them (see placement.ts). */
  version: number;
  created_at: string;
  updated_at: string;
}

export interface BoardsMembersTable {
  board_id: string;
  user_id: string;
  role: BoardRole;
  created_at: string;
}

export interface BoardsListsTable {
  id: string;
  board_id: string;
  title: string;
  position: string;
  wip_limit: number | null;
  wip_mode: "soft" | "hard";
  created_at: string;
}

export interface BoardsSwimlanesTable {
  id: string;
  board_id: string;
  title: string;
  position: string;
  created_at: string;
}

export interface BoardsCardsTable {
  id: string;
  board_id: string;
  list_id: string;
  swimlane_id: string;
  title: string;
  description: string;
  /** JSON: label ids of the board's labels. */
  label_ids: string;
  /** JSON: user ids. */
  assignee_ids: string;
  due_at: string | null;
  done: number;
  archived_at: string | null;
  position: string;
  comment_count: number;
  /** Kept with the items under the board's lock (server/checklist-routes.ts). */
  checklist_done: number;
  checklist_total: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface BoardsCommentsTable {
  id: string;
  card_id: string;
  board_id: string;
  author_id: string | null;
  text: string;
  created_at: string;
}

export interface BoardsChecklistItemsTable {
  id: string;
  card_id: string;
  board_id: string;
  text: string;
  done: number;
  assignee_id: string | null;
  due_at: string | null;
  position: string;
  created_at: string;
}

// A type alias (not an interface) so that Kysely's withTables<T>() accepts it.
export type BoardsTables = {
  boards_boards: BoardsBoardsTable;
  boards_members: BoardsMembersTable;
  boards_lists: BoardsListsTable;
  boards_swimlanes: BoardsSwimlanesTable;
  boards_cards: BoardsCardsTable;
  boards_comments: BoardsCommentsTable;
  boards_checklist_items: BoardsChecklistItemsTable;
};

export type BoardsDb = Kysely<KernelTables & BoardsTables>;

export const boardsDb = (k: Kernel): BoardsDb => k.db.withTables<BoardsTables>();
