import { useEffect, useMemo, useState } from "react";
import { SheetEngine } from "../../shared/sheets/engine.ts";
import { Workbook } from "../../shared/sheets/workbook.ts";
import type { CollabSession } from "../collab-session.ts";

/** Where someone else's cursor is: their selected cell, in their colour. */
export interface RemoteSelection {
  clientId: number;
  name: string;
  color: string;
  sheetId: string;
  row: number;
  col: number;
}

export interface WorkbookState {
  wb: Workbook;
  engine: SheetEngine;
  /** Bumped on every change (local or remote) so that the visible cells are drawn again. */
  version: number;
  /** Whether the first sync is done (before it, an empty workbook is only not loaded yet). */
  ready: boolean;
}

/**
 * The workbook of a synced session and its formula engine. A writer whose
 * first sync brings an empty workbook gives it its first sheet (the same
 * update on every client, so two people doing it at once make one sheet).
 */
export function useWorkbook(session: CollabSession | null, readOnly: boolean): WorkbookState | null {
  const [version, setVersion] = useState(0);
  const [ready, setReady] = useState(false);
  const [pair, setPair] = useState<{ wb: Workbook; engine: SheetEngine } | null>(null);
  useEffect(() => {
    if (!session) return;
    // Made here rather than memoised: the effect's cleanup destroys the engine, and React may run it twice.
    const wb = new Workbook(session.doc);
    const engine = new SheetEngine(wb);
    setPair({ wb, engine });
    const bump = () => setVersion((v) => v + 1);
    const onSynced = () => {
      if (!session.provider.isSynced) return;
      setReady(true);
      bump();
    };
    // Formats and tab names compute nothing but change what is drawn.
    session.doc.on("update", bump);
    const off = engine.onUpdate(bump);
    session.provider.on("synced", onSynced);
    onSynced();
    return () => {
      session.doc.off("update", bump);
      off();
      session.provider.off("synced", onSynced);
      engine.destroy();
      setPair(null);
      setReady(false);
    };
  }, [session]);
  useEffect(() => {
    if (ready && !readOnly && pair) pair.wb.ensureFirstSheet();
  }, [ready, readOnly, pair]);
  return pair ? { ...pair, version, ready } : null;
}

/** The others' selections (awareness), and a way to publish one's own. */
export function useSelections(
  session: CollabSession | null,
  me: { id: string; name: string; color: string },
): { others: RemoteSelection[]; publish: (sheetId: string, row: number, col: number) => void } {
  const [others, setOthers] = useState<RemoteSelection[]>([]);
  useEffect(() => {
    const awareness = session?.provider.awareness;
    if (!awareness) return;
    awareness.setLocalStateField("user", { name: me.name, color: me.color });
    const read = () => {
      const out: RemoteSelection[] = [];
      awareness.getStates().forEach((state, clientId) => {
        if (clientId === awareness.clientID) return;
        const s = state as {
          user?: { name?: unknown; color?: unknown };
          cell?: { sheetId?: unknown; row?: unknown; col?: unknown };
        };
        const { user, cell } = s;
        if (typeof user?.name !== "string" || typeof user.color !== "string" || !cell) return;
        if (typeof cell.sheetId !== "string" || typeof cell.row !== "number" || typeof cell.col !== "number") return;
        out.push({ clientId, name: user.name, color: user.color, sheetId: cell.sheetId, row: cell.row, col: cell.col });
      });
      setOthers(out);
    };
    awareness.on("change", read);
    read();
    return () => awareness.off("change", read);
  }, [session, me.name, me.color]);
  const publish = useMemo(
    () => (sheetId: string, row: number, col: number) =>
      session?.provider.awareness?.setLocalStateField("cell", { sheetId, row, col }),
    [session],
  );
  return { others, publish };
}
