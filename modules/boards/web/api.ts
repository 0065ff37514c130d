import type { WebHost } from "@ensemble/ui";
import type {
  Board,
  BoardPage,
  BoardView,
  Card,
  CardChange,
  CardSummary,
  CellPage,
  Comment,
  MyTasks,
  Visibility,
} from "../shared/schemas.ts";
import type { Checklist, ChecklistItem } from "../shared/checklists.ts";

/** Typed calls to the boards API (shapes from modules/boards/shared). */
export function boardsApi(h: WebHost) {
  return {
    boards: () => h.api<BoardPage>("GET", "/api/boards"),
    myTasks: () => h.api<MyTasks>("GET", "/api/boards/my-tasks"),
    create: (body: { title: string; visibility: Visibility; lists: string[] }) =>
      h.api<Board>("POST", "/api/boards", body),
    board: (id: string) => h.api<BoardView>("GET", `/api/boards/${id}`),
    /** The cards of a cell after the last one held. */
    cellPage: (boardId: string, listId: string, swimlaneId: string, last: CardSummary | undefined) => {
      const q = new URLSearchParams({ listId, swimlaneId });
      if (last) {
        q.set("afterPosition", last.position);
        q.set("afterId", last.id);
      }
      return h.api<CellPage>("GET", `/api/boards/${boardId}/cards?${q.toString()}`);
    },
    addCard: (boardId: string, body: { listId: string; swimlaneId: string; title: string }) =>
      h.api<CardChange>("POST", `/api/boards/${boardId}/cards`, { ...body, beforeId: null }),
    moveCard: (
      id: string,
      body: { listId: string; swimlaneId: string; afterId?: string | null; beforeId?: string | null },
    ) => h.api<CardChange>("POST", `/api/boards/cards/${id}/move`, body),
    card: (id: string) => h.api<Card>("GET", `/api/boards/cards/${id}`),
    updateCard: (id: string, body: Partial<Pick<Card, "title" | "description" | "dueAt" | "done" | "archived">>) =>
      h.api<Card>("PATCH", `/api/boards/cards/${id}`, body),
    comments: (cardId: string) => h.api<{ items: Comment[] }>("GET", `/api/boards/cards/${cardId}/comments`),
    comment: (cardId: string, text: string) => h.api<Comment>("POST", `/api/boards/cards/${cardId}/comments`, { text }),
    deleteComment: (id: string) => h.api<void>("DELETE", `/api/boards/comments/${id}`),
    checklist: (cardId: string) => h.api<Checklist>("GET", `/api/boards/cards/${cardId}/checklist`),
    addItem: (cardId: string, body: { text: string }) =>
      h.api<ChecklistItem>("POST", `/api/boards/cards/${cardId}/checklist`, body),
    updateItem: (id: string, body: Partial<Pick<ChecklistItem, "text" | "done" | "assigneeId" | "dueAt">>) =>
      h.api<ChecklistItem>("PATCH", `/api/boards/checklist-items/${id}`, body),
    deleteItem: (id: string) => h.api<void>("DELETE", `/api/boards/checklist-items/${id}`),
  };
}
