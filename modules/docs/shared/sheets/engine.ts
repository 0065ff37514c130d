import { DetailedCellError, HyperFormula, type RawCellContent } from "hyperformula";
import type * as Y from "yjs";
import { fromTemplate } from "./refs.ts";
import { isFormula, type CellValue, type Workbook } from "./workbook.ts";

/** What a cell shows once computed: a value, an error (`#DIV/0!`, `#REF!`…) or nothing. */
export type Computed = number | string | boolean | { error: string } | null;

/**
 * HyperFormula (GPLv3, see docs/DECISIONS.md) fed from the workbook's shared
 * inputs. Every client runs one and computes the same results from the same
 * Yjs state: results are never shared, only inputs. The engine's sheets are
 * named by sheet id, so renaming a tab touches no formula.
 */
export class SheetEngine {
  private hf: HyperFormula;
  private readonly wb: Workbook;
  /** Per sheet: the engine's sheet number and the positions of row and column ids. */
  private index = new Map<string, { hf: number; rows: Map<string, number>; cols: Map<string, number> }>();
  /** Which cells map belongs to which sheet (to place a cell change without a rebuild). */
  private cellMaps = new WeakMap<Y.Map<CellValue>, string>();
  private readonly listeners = new Set<() => void>();
  private readonly observer: (events: Y.YEvent<Y.AbstractType<unknown>>[]) => void;
  private readonly orderObserver: () => void;

  constructor(wb: Workbook) {
    this.wb = wb;
    this.hf = this.build();
    this.observer = (events) => this.onChange(events);
    wb.sheets.observeDeep(this.observer);
    // The tabs' order moves no cell, but a sheet added or gone changes what formulas can name.
    this.orderObserver = () => this.rebuild();
    wb.order.observe(this.orderObserver);
  }

  /** Called after each recomputation (local or remote change). */
  onUpdate(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  destroy(): void {
    this.wb.sheets.unobserveDeep(this.observer);
    this.wb.order.unobserve(this.orderObserver);
    this.hf.destroy();
  }

  value(sheetId: string, row: number, col: number): Computed {
    const s = this.index.get(sheetId);
    if (!s) return null;
    const v = this.hf.getCellValue({ sheet: s.hf, row, col });
    if (v instanceof DetailedCellError) return { error: v.value };
    return v;
  }

  private content(sheetId: string, v: CellValue | undefined): RawCellContent {
    if (v === undefined) return null;
    if (isFormula(v)) return engineLiterals(fromTemplate(v, this.wb.refContext(sheetId), "engine"));
    // A text that looks like a formula or number stays text (the engine would parse it).
    if (typeof v.v === "string" && /^[=+\-'\d.,]/.test(v.v)) return `'${v.v}`;
    return v.v;
  }

  private build(): HyperFormula {
    this.index.clear();
    const data: Record<string, RawCellContent[][]> = {};
    const ids = this.wb.sheetIds();
    for (const id of ids) {
      const rows = this.wb.rows(id).toArray();
      const cols = this.wb.cols(id).toArray();
      const cells = this.wb.cells(id);
      this.cellMaps.set(cells, id);
      const rowAt = new Map(rows.map((r, i) => [r, i]));
      const colAt = new Map(cols.map((c, i) => [c, i]));
      const grid: RawCellContent[][] = [];
      for (const [key, v] of cells) {
        const sep = key.indexOf(":");
        const r = rowAt.get(key.slice(0, sep));
        const c = colAt.get(key.slice(sep + 1));
        if (r === undefined || c === undefined) continue;
        (grid[r] ??= [])[c] = this.content(id, v);
      }
      data[id] = Array.from({ length: rows.length }, (_, r) =>
        Array.from({ length: cols.length }, (_, c) => grid[r]?.[c] ?? null),
      );
      this.index.set(id, { hf: -1, rows: rowAt, cols: colAt });
    }
    const hf = HyperFormula.buildFromSheets(data, { licenseKey: "gpl-v3" });
    for (const id of ids) this.index.get(id)!.hf = hf.getSheetId(id)!;
    return hf;
  }

  private onChange(events: Y.YEvent<Y.AbstractType<unknown>>[]): void {
    const cellChanges: { sheetId: string; key: string }[] = [];
    let structural = false;
    for (const e of events) {
      const sheetId = this.cellMaps.get(e.target as Y.Map<CellValue>);
      if (sheetId !== undefined) for (const key of e.keys.keys()) cellChanges.push({ sheetId, key });
      else if (!isFormatsEvent(e) && !this.isRename(e)) structural = true;
    }
    // Rows, columns or sheets changed: positions moved under every formula; rebuilt whole.
    if (structural) return this.rebuild();
    if (cellChanges.length > 0) {
      this.hf.batch(() => {
        for (const { sheetId, key } of cellChanges) {
          const s = this.index.get(sheetId);
          const sep = key.indexOf(":");
          const row = s?.rows.get(key.slice(0, sep));
          const col = s?.cols.get(key.slice(sep + 1));
          if (!s || row === undefined || col === undefined) continue;
          this.hf.setCellContents({ sheet: s.hf, row, col }, this.content(sheetId, this.wb.cells(sheetId).get(key)));
        }
      });
      for (const fn of this.listeners) fn();
    }
  }

  /** A tab renamed: the engine names sheets by id, nothing to compute. */
  private isRename(e: Y.YEvent<Y.AbstractType<unknown>>): boolean {
    return e.target.parent === this.wb.sheets && [...e.keys.keys()].every((k) => k === "name");
  }

  private rebuild(): void {
    this.hf.destroy();
    this.hf = this.build();
    for (const fn of this.listeners) fn();
  }
}

/** A format change (bold, number format) computes nothing. */
function isFormatsEvent(e: Y.YEvent<Y.AbstractType<unknown>>): boolean {
  const parent = e.target.parent as Y.Map<unknown> | null;
  return parent !== null && "get" in parent && parent.get("formats") === e.target;
}

/**
 * TRUE and FALSE are functions for HyperFormula (`TRUE()`), constants for
 * people and other spreadsheets: the bare words outside string literals are
 * given their parentheses on the way in.
 */
function engineLiterals(formula: string): string {
  return formula
    .split(/("(?:[^"]|"")*")/)
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(/(?<![\p{L}\p{N}_.'!$])(TRUE|FALSE)(?![\p{L}\p{N}_.(!])/giu, "$1()"),
    )
    .join("");
}
