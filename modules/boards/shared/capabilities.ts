import { capabilityTable } from "@ensemble/protocol";

/**
 * Board permissions as data, in the platform's one capability engine. The
 * server's policy (server/policies.ts) and the web read this table; nobody
 * compares role names. A reader without a role (an organisation-visible or
 * group-visible board seen by someone who is not a member) holds nothing
 * beyond `read`, which the policy decides.
 */
export const boardRoles = ["admin", "normal", "comment_only", "read_only"] as const;
export type BoardRole = (typeof boardRoles)[number];

export const BoardCapability = {
  /** Rename, describe, change visibility and labels, delete the board. */
  manage: "manage",
  /** Add and remove members, change their roles. */
  manageMembers: "manage_members",
  /** Create, rename, reorder, delete lists and swimlanes; set WIP limits. */
  editStructure: "edit_structure",
  /** Create, edit, move, archive and delete cards. */
  editCards: "edit_cards",
  comment: "comment",
  /** Delete anybody's comment (authors always delete their own). */
  moderateComments: "moderate_comments",
} as const;
export type BoardCapability = (typeof BoardCapability)[keyof typeof BoardCapability];

export const boardCapabilityTable = capabilityTable<BoardRole, BoardCapability>({
  admin: {
    manage: true,
    manage_members: true,
    edit_structure: true,
    edit_cards: true,
    comment: true,
    moderate_comments: true,
  },
  normal: { edit_structure: true, edit_cards: true, comment: true },
  comment_only: { comment: true },
  read_only: {},
});

export const canOnBoard = (role: BoardRole | null, capability: BoardCapability): boolean =>
  boardCapabilityTable.can(role, capability);

/**
 * The strongest of several roles (an explicit membership and one derived from
 * the owning group): the role holding the most capabilities wins.
 */
export function strongestRole(roles: readonly (BoardRole | null)[]): BoardRole | null {
  let best: BoardRole | null = null;
  for (const r of roles)
    if (r !== null && (best === null || boardCapabilityTable.held(r).length > boardCapabilityTable.held(best).length))
      best = r;
  return best;
}

/** What an organisation role may do with boards outside any board membership. */
export const OrgBoardsCapability = {
  create: "boards.create",
  /** Read the boards whose visibility is « organisation ». */
  browse: "boards.browse",
} as const;
export type OrgBoardsCapability = (typeof OrgBoardsCapability)[keyof typeof OrgBoardsCapability];

export const orgBoardsCapabilityTable = capabilityTable<"admin" | "member" | "guest", OrgBoardsCapability>({
  admin: { "boards.create": true, "boards.browse": true },
  member: { "boards.create": true, "boards.browse": true },
  // Guests see only the boards they are invited to.
  guest: {},
});
