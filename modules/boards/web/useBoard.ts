import { useCallback, useEffect, useRef, useState } from "react";
import type { WebHost } from "@ensemble/ui";
import { applyBoardEvent, cellCards, mergeCellPage, type BoardEvent } from "../shared/board-state.ts";
import { boardTopic } from "../shared/resources.ts";
import type { BoardView } from "../shared/schemas.ts";
import { boardsApi } from "./api.ts";

export type BoardState =
  { status: "loading" } | { status: "failed" } | { status: "gone" } | { status: "ready"; view: BoardView };

/**
 * The board as this viewer holds it: loaded once, then kept by the events of
 * `board:<id>` through the shared `applyBoardEvent` (the same function the
 * ordering property test checks), reloaded when the subscription starts or
 * must resync. `apply` lets the page apply its own answers at once.
 */
export function useBoard(host: WebHost, boardId: string) {
  const [state, setState] = useState<BoardState>({ status: "loading" });
  const alive = useRef(true);

  const reload = useCallback(async () => {
    try {
      const view = await boardsApi(host).board(boardId);
      if (alive.current) setState({ status: "ready", view });
    } catch (e) {
      const gone = typeof e === "object" && e !== null && "status" in e && e.status === 404;
      if (alive.current) setState({ status: gone ? "gone" : "failed" });
    }
  }, [host, boardId]);

  const apply = useCallback((event: BoardEvent) => {
    setState((s) => {
      if (s.status !== "ready") return s;
      const view = applyBoardEvent(s.view, event);
      return view ? { status: "ready", view } : { status: "gone" };
    });
  }, []);

  useEffect(() => {
    alive.current = true;
    void reload();
    let stop: (() => void) | null = null;
    void host
      .follow<unknown>(boardTopic(boardId), {
        onEvent: (event) => apply(event),
        onReady: () => void reload(),
        onResync: () => void reload(),
        onRefused: () => alive.current && setState({ status: "gone" }),
      })
      .then((s) => {
        if (alive.current) stop = s;
        else s();
      });
    return () => {
      alive.current = false;
      stop?.();
    };
  }, [host, boardId, reload, apply]);

  /** Brings the next page of one cell; rejects when it could not be loaded. */
  const loadMore = useCallback(
    async (view: BoardView, listId: string, swimlaneId: string) => {
      const page = await boardsApi(host).cellPage(
        boardId,
        listId,
        swimlaneId,
        cellCards(view, listId, swimlaneId).at(-1),
      );
      setState((s) =>
        s.status === "ready" ? { status: "ready", view: mergeCellPage(s.view, listId, swimlaneId, page) } : s,
      );
    },
    [host, boardId],
  );

  return { state, apply, reload, loadMore };
}
