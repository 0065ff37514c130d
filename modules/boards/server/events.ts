import { defineEvent, type PayloadsOf } from "@ensemble/kernel";
import { boardsEventSchemas as s } from "../shared/events.ts";

/** Every event the boards record, with its payload schema (shared/events.ts) and version. */
export const boardsEvents = {
  boardCreated: defineEvent("boards.board.created", s["boards.board.created"], 1),
  boardUpdated: defineEvent("boards.board.updated", s["boards.board.updated"], 1),
  boardDeleted: defineEvent("boards.board.deleted", s["boards.board.deleted"], 1),
  memberAdded: defineEvent("boards.member.added", s["boards.member.added"], 1),
  memberUpdated: defineEvent("boards.member.updated", s["boards.member.updated"], 1),
  memberRemoved: defineEvent("boards.member.removed", s["boards.member.removed"], 1),
  listCreated: defineEvent("boards.list.created", s["boards.list.created"], 1),
  listUpdated: defineEvent("boards.list.updated", s["boards.list.updated"], 1),
  listMoved: defineEvent("boards.list.moved", s["boards.list.moved"], 1),
  listDeleted: defineEvent("boards.list.deleted", s["boards.list.deleted"], 1),
  swimlaneCreated: defineEvent("boards.swimlane.created", s["boards.swimlane.created"], 1),
  swimlaneUpdated: defineEvent("boards.swimlane.updated", s["boards.swimlane.updated"], 1),
  swimlaneMoved: defineEvent("boards.swimlane.moved", s["boards.swimlane.moved"], 1),
  swimlaneDeleted: defineEvent("boards.swimlane.deleted", s["boards.swimlane.deleted"], 1),
  cardCreated: defineEvent("boards.card.created", s["boards.card.created"], 1),
  cardUpdated: defineEvent("boards.card.updated", s["boards.card.updated"], 1),
  cardMoved: defineEvent("boards.card.moved", s["boards.card.moved"], 1),
  cardDeleted: defineEvent("boards.card.deleted", s["boards.card.deleted"], 1),
  cardRekeyed: defineEvent("boards.card.rekeyed", s["boards.card.rekeyed"], 1),
  commentCreated: defineEvent("boards.comment.created", s["boards.comment.created"], 1),
  commentDeleted: defineEvent("boards.comment.deleted", s["boards.comment.deleted"], 1),
  checklistItemCreated: defineEvent("boards.checklist_item.created", s["boards.checklist_item.created"], 1),
  checklistItemUpdated: defineEvent("boards.checklist_item.updated", s["boards.checklist_item.updated"], 1),
  checklistItemDeleted: defineEvent("boards.checklist_item.deleted", s["boards.checklist_item.deleted"], 1),
};

// Typed payloads for `recordEvent(tx, { name: "boards.…" })`.
declare module "@ensemble/kernel" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends PayloadsOf<typeof boardsEvents> {}
}
