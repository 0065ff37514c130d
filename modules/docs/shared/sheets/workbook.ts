import * as Y from "yjs";
import { toTemplate, fromTemplate, type FormulaTemplate, type RefContext, type SheetAxes } from "./refs.ts";

/**
 * A workbook in a Yjs document.
 *
 * - `order`: Y.Array of sheet ids (the tabs, in order).
 * - `sheets`: Y.Map sheet id → Y.Map { name, rows: Y.Array<row id>, cols: Y.Array<col id>,
 *   cells: Y.Map<"row:col" → CellValue>, formats: Y.Map<"row:col" → CellFormat> }.
 *
 * Cells are keyed by row and column ids, not positions: inserting or deleting
 * rows moves no cell, so edits made meanwhile elsewhere land where they were
 * meant. A cell's value is one entry of a Y.Map, so two people writing the same
 * cell at once end with one of the two values on every client (Yjs's rule),
 * and writing different cells never conflicts. Value and format are separate
 * entries so that one person's bold does not undo another's typing.
 */

/** A cell's input: a number, a text, a boolean, or a formula in stored form. */
export type CellValue = { v: number | string | boolean } | FormulaTemplate;

export interface CellFormat {
  bold?: boolean;
  italic?: boolean;
  /** How a number is shown. */
  num?: "general" | "percent" | "currency" | "date";
  align?: "left" | "center" | "right";
}

export const DEFAULT_ROWS = 200;
export const DEFAULT_COLS = 26;

/** The first sheet, the same bytes for everyone: two people opening a new workbook at once get one sheet, not two. */
const FIRST_SHEET_ID = "s0";
let firstSheetUpdate: Uint8Array | null = null;
function firstSheet(): Uint8Array {
  if (firstSheetUpdate) return firstSheetUpdate;
  const seed = new Y.Doc();
  // A fixed client id and a fixed content make the update identical on every client; applied twice, it is one.
  seed.clientID = 1;
  seed.transact(() => {
    const sheet = newSheetMap("Feuille 1", idsFrom("r", DEFAULT_ROWS), idsFrom("c", DEFAULT_COLS));
    seed.getMap<Y.Map<unknown>>("sheets").set(FIRST_SHEET_ID, sheet);
    seed.getArray<string>("order").push([FIRST_SHEET_ID]);
  });
  firstSheetUpdate = Y.encodeStateAsUpdate(seed);
  seed.destroy();
  return firstSheetUpdate;
}

const idsFrom = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i.toString(36)}`);

function newSheetMap(name: string, rows: string[], cols: string[]): Y.Map<unknown> {
  const sheet = new Y.Map<unknown>();
  sheet.set("name", name);
  const r = new Y.Array<string>();
  r.push(rows);
  const c = new Y.Array<string>();
  c.push(cols);
  sheet.set("rows", r);
  sheet.set("cols", c);
  sheet.set("cells", new Y.Map<CellValue>());
  sheet.set("formats", new Y.Map<CellFormat>());
  return sheet;
}

/** A fresh id that no other client makes (random, 8 base-36 characters after a prefix). */
function freshId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  let n = 0;
  for (const b of bytes) n = n * 256 + b;
  return prefix + n.toString(36).padStart(8, "0").slice(-8);
}

export const cellKey = (rowId: string, colId: string): string => `${rowId}:${colId}`;

/** What a person typed → a cell value; "" clears the cell (null). Decimal comma and `%` are understood. */
export function parseInput(text: string, refCtx: RefContext): CellValue | null {
  const t = text.trim();
  if (t === "") return null;
  if (t.startsWith("=") && t.length > 1) return toTemplate(t, refCtx);
  const num = /^([+-]?)(\d+(?:[ \u00a0\u202f]\d{3})*|\d*)(?:[.,](\d+))?\s*(%?)$/.exec(t);
  if (num && (num[2] !== "" || num[3] !== undefined)) {
    const n = Number(`${num[1]}${num[2]!.replace(/\D/g, "") || "0"}.${num[3] ?? "0"}`);
    return { v: num[4] === "%" ? n / 100 : n };
  }
  const upper = t.toUpperCase();
  if (upper === "TRUE" || upper === "VRAI") return { v: true };
  if (upper === "FALSE" || upper === "FAUX") return { v: false };
  return { v: text };
}

export const isFormula = (v: CellValue): v is FormulaTemplate => "f" in v;

export class Workbook {
  readonly doc: Y.Doc;
  readonly order: Y.Array<string>;
  readonly sheets: Y.Map<Y.Map<unknown>>;

  constructor(doc: Y.Doc) {
    this.doc = doc;
    this.order = doc.getArray<string>("order");
    this.sheets = doc.getMap<Y.Map<unknown>>("sheets");
  }

  /** Gives a new (empty) workbook its first sheet; harmless when it has one, or when others do it too. */
  ensureFirstSheet(): void {
    if (this.order.length === 0) Y.applyUpdate(this.doc, firstSheet());
  }

  sheetIds(): string[] {
    // A sheet deleted by one person while another renamed it stays out of the tabs.
    return this.order.toArray().filter((id, i, all) => this.sheets.has(id) && all.indexOf(id) === i);
  }

  private sheet(id: string): Y.Map<unknown> {
    const s = this.sheets.get(id);
    if (!s) throw new Error(`no sheet ${id}`);
    return s;
  }

  rows(id: string): Y.Array<string> {
    return this.sheet(id).get("rows") as Y.Array<string>;
  }
  cols(id: string): Y.Array<string> {
    return this.sheet(id).get("cols") as Y.Array<string>;
  }
  cells(id: string): Y.Map<CellValue> {
    return this.sheet(id).get("cells") as Y.Map<CellValue>;
  }
  formats(id: string): Y.Map<CellFormat> {
    return this.sheet(id).get("formats") as Y.Map<CellFormat>;
  }
  name(id: string): string {
    return this.sheet(id).get("name") as string;
  }

  axes(id: string): SheetAxes {
    return { id, name: this.name(id), rows: this.rows(id).toArray(), cols: this.cols(id).toArray() };
  }

  /** How references resolve from a sheet (axes read once per call: a formula may name a sheet many times). */
  refContext(sheetId: string): RefContext {
    const cache = new Map<string, SheetAxes>();
    const byId = (id: string) => {
      if (!this.sheets.has(id)) return undefined;
      let a = cache.get(id);
      if (!a) cache.set(id, (a = this.axes(id)));
      return a;
    };
    return {
      sheetId,
      sheetById: byId,
      sheetByName: (name) => {
        const lower = name.toLowerCase();
        const id = this.sheetIds().find((s) => this.name(s).toLowerCase() === lower);
        return id === undefined ? undefined : byId(id);
      },
    };
  }

  addSheet(name: string): string {
    const id = freshId("s");
    this.doc.transact(() => {
      this.sheets.set(id, newSheetMap(name, idsFrom(`${id}r`, DEFAULT_ROWS), idsFrom(`${id}c`, DEFAULT_COLS)));
      this.order.push([id]);
    });
    return id;
  }

  renameSheet(id: string, name: string): void {
    this.sheet(id).set("name", name);
  }

  /** The value of the cell at a position, or undefined when empty. */
  valueAt(sheetId: string, row: number, col: number): CellValue | undefined {
    const r = this.rows(sheetId).get(row);
    const c = this.cols(sheetId).get(col);
    return this.cells(sheetId).get(cellKey(r, c));
  }

  /** What a person typed into a cell, rebuilt: a formula with today's positions of its references. */
  inputAt(sheetId: string, row: number, col: number): string {
    const v = this.valueAt(sheetId, row, col);
    if (v === undefined) return "";
    if (isFormula(v)) return fromTemplate(v, this.refContext(sheetId), "person");
    return typeof v.v === "boolean" ? (v.v ? "TRUE" : "FALSE") : String(v.v);
  }

  /** Writes what a person typed into a cell (empty text clears it). */
  setInput(sheetId: string, row: number, col: number, text: string): void {
    const value = parseInput(text, this.refContext(sheetId));
    const key = cellKey(this.rows(sheetId).get(row), this.cols(sheetId).get(col));
    const cells = this.cells(sheetId);
    if (value === null) cells.delete(key);
    else cells.set(key, value);
  }

  formatAt(sheetId: string, row: number, col: number): CellFormat {
    const key = cellKey(this.rows(sheetId).get(row), this.cols(sheetId).get(col));
    return this.formats(sheetId).get(key) ?? {};
  }

  setFormat(sheetId: string, row: number, col: number, format: CellFormat): void {
    const key = cellKey(this.rows(sheetId).get(row), this.cols(sheetId).get(col));
    this.formats(sheetId).set(key, format);
  }

  insertRows(sheetId: string, at: number, count = 1): void {
    this.rows(sheetId).insert(
      at,
      Array.from({ length: count }, () => freshId("r")),
    );
  }

  insertCols(sheetId: string, at: number, count = 1): void {
    this.cols(sheetId).insert(
      at,
      Array.from({ length: count }, () => freshId("c")),
    );
  }

  /** Deletes rows and their cells; formulas that pointed into them show #REF!. */
  deleteRows(sheetId: string, at: number, count = 1): void {
    this.doc.transact(() => {
      const gone = new Set(this.rows(sheetId).slice(at, at + count));
      this.rows(sheetId).delete(at, count);
      this.dropCells(sheetId, (key) => gone.has(key.slice(0, key.indexOf(":"))));
    });
  }

  deleteCols(sheetId: string, at: number, count = 1): void {
    this.doc.transact(() => {
      const gone = new Set(this.cols(sheetId).slice(at, at + count));
      this.cols(sheetId).delete(at, count);
      this.dropCells(sheetId, (key) => gone.has(key.slice(key.indexOf(":") + 1)));
    });
  }

  private dropCells(sheetId: string, drop: (key: string) => boolean): void {
    for (const map of [this.cells(sheetId), this.formats(sheetId)])
      for (const key of [...map.keys()]) if (drop(key)) map.delete(key);
  }
}
