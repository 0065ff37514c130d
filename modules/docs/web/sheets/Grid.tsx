import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { VisuallyHidden } from "@mantine/core";
import { cellName, columnName } from "../../shared/sheets/refs.ts";
import type { WorkbookState, RemoteSelection } from "./useWorkbook.ts";
import { displayValue } from "./format.ts";

export const ROW_HEIGHT = 26;
export const COL_WIDTH = 104;
export const HEAD_WIDTH = 52;
/** Rows and columns drawn beyond the visible ones, so that a fast scroll shows no blank before the next frame. */
const OVERSCAN = 4;

export interface Cell {
  row: number;
  col: number;
}

interface GridProps {
  state: WorkbookState;
  sheetId: string;
  sheetName: string;
  readOnly: boolean;
  active: Cell;
  onActive: (c: Cell) => void;
  others: RemoteSelection[];
}

/**
 * The cells of one sheet: only the rows and columns in view are in the DOM
 * (a sheet of 100,000 cells draws a few hundred). One focusable grid; the
 * active cell is its `aria-activedescendant`. Arrows, Home/End, Page Up/Down
 * move; Enter or F2 edits; typing replaces; Delete clears; in the cell editor
 * Enter and Tab write and move, Escape cancels.
 */
export function Grid({ state, sheetId, sheetName, readOnly, active, onActive, others }: GridProps) {
  const { t, i18n } = useTranslation("docs");
  const { wb, engine } = state;
  const id = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const editor = useRef<HTMLInputElement>(null);
  const [view, setView] = useState({ top: 0, left: 0, height: 600, width: 1000 });
  const [editing, setEditing] = useState<{ text: string } | null>(null);
  /** The text being edited, read by the blur handler (which may run before the next render). */
  const editingRef = useRef<string | null>(null);
  const startEditing = (text: string | null) => {
    editingRef.current = text;
    setEditing(text === null ? null : { text });
  };
  const rows = wb.rows(sheetId).length;
  const cols = wb.cols(sheetId).length;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () =>
      setView({ top: el.scrollTop, left: el.scrollLeft, height: el.clientHeight, width: el.clientWidth });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    el.addEventListener("scroll", measure, { passive: true });
    return () => {
      ro.disconnect();
      el.removeEventListener("scroll", measure);
    };
  }, []);

  // The active cell stays in view when the keyboard moves it.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const top = (active.row + 1) * ROW_HEIGHT;
    const left = HEAD_WIDTH + active.col * COL_WIDTH;
    if (top - ROW_HEIGHT < el.scrollTop) el.scrollTop = top - ROW_HEIGHT;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
    if (left - HEAD_WIDTH < el.scrollLeft) el.scrollLeft = left - HEAD_WIDTH;
    else if (left + COL_WIDTH > el.scrollLeft + el.clientWidth) el.scrollLeft = left + COL_WIDTH - el.clientWidth;
  }, [active.row, active.col]);

  useEffect(() => {
    if (editing) editor.current?.focus();
  }, [editing !== null]); // eslint-disable-line react-hooks/exhaustive-deps

  const firstRow = Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN);
  const lastRow = Math.min(rows - 1, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN);
  const firstCol = Math.max(0, Math.floor((view.left - HEAD_WIDTH) / COL_WIDTH) - OVERSCAN);
  const lastCol = Math.min(cols - 1, Math.ceil((view.left + view.width) / COL_WIDTH) + OVERSCAN);
  const visibleCols: number[] = [];
  for (let c = firstCol; c <= lastCol; c++) visibleCols.push(c);
  const visibleRows: number[] = [];
  for (let r = firstRow; r <= lastRow; r++) visibleRows.push(r);
  const cellId = (r: number, c: number) => `${id}-r${r}-c${c}`;
  const pageRows = Math.max(1, Math.floor(view.height / ROW_HEIGHT) - 2);

  const move = (dr: number, dc: number) =>
    onActive({
      row: Math.min(rows - 1, Math.max(0, active.row + dr)),
      col: Math.min(cols - 1, Math.max(0, active.col + dc)),
    });
  const focusGrid = () => scroller.current?.focus();
  const commit = (text: string) => {
    startEditing(null);
    if (!readOnly) wb.setInput(sheetId, active.row, active.col, text);
  };

  const onGridKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (editing || e.target !== scroller.current) return;
    const ctrl = e.ctrlKey || e.metaKey;
    const keys: Record<string, () => void> = {
      ArrowUp: () => move(-1, 0),
      ArrowDown: () => move(1, 0),
      ArrowLeft: () => move(0, -1),
      ArrowRight: () => move(0, 1),
      PageUp: () => move(-pageRows, 0),
      PageDown: () => move(pageRows, 0),
      Home: () => onActive({ row: ctrl ? 0 : active.row, col: 0 }),
      End: () => onActive({ row: ctrl ? rows - 1 : active.row, col: cols - 1 }),
    };
    const nav = keys[e.key];
    if (nav) {
      e.preventDefault();
      nav();
      return;
    }
    if (readOnly) return;
    if (e.key === "Enter" || e.key === "F2") {
      e.preventDefault();
      startEditing(wb.inputAt(sheetId, active.row, active.col));
    } else if (e.key === "Delete" || e.key === "Backspace") {
      e.preventDefault();
      wb.setInput(sheetId, active.row, active.col, "");
    } else if (e.key.length === 1 && !ctrl && !e.altKey) {
      // Typing replaces what the cell holds.
      e.preventDefault();
      startEditing(e.key);
    }
  };

  const onEditorKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!editing) return;
    if (e.key === "Escape") {
      e.preventDefault();
      startEditing(null);
      focusGrid();
    } else if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault();
      commit(editing.text);
      if (e.key === "Enter") move(e.shiftKey ? -1 : 1, 0);
      else move(0, e.shiftKey ? -1 : 1);
      focusGrid();
    }
  };

  const peersAt = new Map<string, RemoteSelection[]>();
  for (const o of others)
    if (o.sheetId === sheetId) {
      const key = `${o.row}:${o.col}`;
      peersAt.set(key, [...(peersAt.get(key) ?? []), o]);
    }
  const words = { true: t("sheets.true"), false: t("sheets.false") };
  const activeName = cellName(active.row, active.col);

  return (
    <div className="sheet-frame">
      <VisuallyHidden id={`${id}-help`}>{t("sheets.keyboardHelp")}</VisuallyHidden>
      <div
        ref={scroller}
        className="sheet-scroller"
        role="grid"
        tabIndex={0}
        aria-label={t("sheets.grid", { name: sheetName })}
        aria-describedby={`${id}-help`}
        aria-rowcount={rows + 1}
        aria-colcount={cols + 1}
        aria-readonly={readOnly || undefined}
        aria-activedescendant={cellId(active.row, active.col)}
        onKeyDown={onGridKey}
        data-testid="sheet-grid"
      >
        <div
          role="presentation"
          style={{ position: "relative", height: (rows + 1) * ROW_HEIGHT, width: HEAD_WIDTH + cols * COL_WIDTH }}
        >
          <div role="row" aria-rowindex={1} className="sheet-row sheet-head-row" style={{ top: 0 }}>
            <div role="columnheader" aria-colindex={1} className="sheet-corner">
              <VisuallyHidden>{t("sheets.corner")}</VisuallyHidden>
            </div>
            {visibleCols.map((c) => (
              <div
                key={c}
                role="columnheader"
                aria-colindex={c + 2}
                className={`sheet-col-head${c === active.col ? " sheet-head--active" : ""}`}
                style={{ left: HEAD_WIDTH + c * COL_WIDTH }}
              >
                {columnName(c)}
              </div>
            ))}
          </div>
          {visibleRows.map((r) => (
            <div key={r} role="row" aria-rowindex={r + 2} className="sheet-row" style={{ top: (r + 1) * ROW_HEIGHT }}>
              <div
                role="rowheader"
                aria-colindex={1}
                className={`sheet-row-head${r === active.row ? " sheet-head--active" : ""}`}
              >
                {r + 1}
              </div>
              {visibleCols.map((c) => {
                const format = wb.formatAt(sheetId, r, c);
                const shown = displayValue(engine.value(sheetId, r, c), format, i18n.language, words);
                const peers = peersAt.get(`${r}:${c}`);
                const isActive = r === active.row && c === active.col;
                return (
                  <div
                    key={c}
                    id={cellId(r, c)}
                    role="gridcell"
                    aria-colindex={c + 2}
                    aria-selected={isActive}
                    className={`sheet-cell sheet-cell--${shown.kind}${isActive ? " sheet-cell--active" : ""}`}
                    style={{
                      left: HEAD_WIDTH + c * COL_WIDTH,
                      fontWeight: format.bold ? 700 : undefined,
                      fontStyle: format.italic ? "italic" : undefined,
                      textAlign: format.align,
                      boxShadow: peers ? `inset 0 0 0 2px ${peers[0]!.color}` : undefined,
                    }}
                    onMouseDown={(e) => {
                      e.preventDefault();
                      if (editingRef.current !== null) commit(editingRef.current);
                      onActive({ row: r, col: c });
                      focusGrid();
                    }}
                    onDoubleClick={() => !readOnly && startEditing(wb.inputAt(sheetId, r, c))}
                  >
                    {isActive && editing ? (
                      <input
                        ref={editor}
                        className="sheet-editor"
                        aria-label={t("sheets.editCell", { cell: activeName })}
                        style={{ width: Math.max(COL_WIDTH, editing.text.length * 8 + 16) }}
                        value={editing.text}
                        onChange={(e) => startEditing(e.currentTarget.value)}
                        onKeyDown={onEditorKey}
                        onMouseDown={(e) => e.stopPropagation()}
                        onBlur={() => editingRef.current !== null && commit(editingRef.current)}
                      />
                    ) : (
                      shown.text
                    )}
                    {peers?.map((p) => (
                      <span key={p.clientId} className="sheet-peer" style={{ backgroundColor: p.color }}>
                        {p.name}
                      </span>
                    ))}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
