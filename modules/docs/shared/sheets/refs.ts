/**
 * A1 references in formulas, and their stored form: every reference of a
 * formula is kept as the ids of its row, column and sheet (never as a
 * position), so that rows and columns inserted or deleted — by anyone, at
 * the same time — leave the formula pointing at the same cells. The text a
 * person reads and the text the engine computes are both drawn from it.
 */

/** One end of a reference: a cell (row and column), a whole column (no row) or a whole row (no column). */
export interface RefEnd {
  row?: string;
  col?: string;
  /** `$` before the row / the column (kept for the text; ids already make every reference follow its cell). */
  absRow?: boolean;
  absCol?: boolean;
}

/** A reference: one end (a cell) or two (a range), on a sheet named by id (none: the formula's own sheet). */
export interface Ref {
  sheet?: string;
  from: RefEnd;
  to?: RefEnd;
}

/** A formula as stored: its text with each reference replaced by `{n}` (braces of the text doubled), and the references. */
export interface FormulaTemplate {
  f: string;
  refs: Ref[];
}

/** What a reference resolves against: a sheet's rows and columns in order, and its name. */
export interface SheetAxes {
  id: string;
  name: string;
  rows: readonly string[];
  cols: readonly string[];
}

export interface RefContext {
  /** The sheet the formula is in. */
  sheetId: string;
  sheetById: (id: string) => SheetAxes | undefined;
  sheetByName: (name: string) => SheetAxes | undefined;
}

/** Column index (0-based) → letters: 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let s = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Letters → column index (0-based). */
export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export const cellName = (row: number, col: number): string => `${columnName(col)}${row + 1}`;

const WORD = /[\p{L}\p{N}_.]/u;
const CELL = /^(\$?)([A-Za-z]{1,3})(\$?)([1-9]\d{0,6})/;
const COL = /^(\$?)([A-Za-z]{1,3})(?![\p{L}\p{N}_.(])/u;
const ROW = /^(\$?)([1-9]\d{0,6})(?![\p{L}\p{N}_.(])/u;
const SHEET_BARE = /^([\p{L}_][\p{L}\p{N}_.]*)!/u;

/** A sheet name as it is written before `!`: bare when it can be, else quoted (quotes doubled). */
export function sheetPrefix(name: string): string {
  return /^[\p{L}_][\p{L}\p{N}_.]*$/u.test(name) && !CELL.test(name) ? `${name}!` : `'${name.replace(/'/g, "''")}'!`;
}

interface Lexed {
  kind: "cell" | "col" | "row";
  abs1: boolean;
  abs2: boolean;
  a: string;
  b: string;
  length: number;
}

/** A cell (`$A$1`), column (`A`) or row (`1`) reference at the start of `s`, as `kind` asks. */
function lexEnd(s: string, kind: Lexed["kind"]): Lexed | null {
  const m = (kind === "cell" ? CELL : kind === "col" ? COL : ROW).exec(s);
  if (!m) return null;
  if (kind === "cell") {
    const next = s[m[0].length];
    if (next !== undefined && (WORD.test(next) || next === "(")) return null;
    return { kind, abs1: m[1] === "$", a: m[2]!, abs2: m[3] === "$", b: m[4]!, length: m[0].length };
  }
  return { kind, abs1: m[1] === "$", a: m[2]!, abs2: false, b: "", length: m[0].length };
}

/** The reference (with its range end) at the start of `s`, or null. */
function lexRef(s: string): { first: Lexed; second: Lexed | null; length: number } | null {
  for (const kind of ["cell", "col", "row"] as const) {
    const first = lexEnd(s, kind);
    if (!first) continue;
    if (s[first.length] === ":") {
      const second = lexEnd(s.slice(first.length + 1), kind);
      if (second) return { first, second, length: first.length + 1 + second.length };
    }
    // A lone column or row is not a reference (`A` may be a name, `1` is a number).
    if (kind === "cell") return { first, second: null, length: first.length };
  }
  return null;
}

function endOf(l: Lexed, axes: SheetAxes): RefEnd | null {
  if (l.kind === "col") {
    const col = axes.cols[columnIndex(l.a)];
    return col === undefined ? null : { col, absCol: l.abs1 };
  }
  if (l.kind === "row") {
    const row = axes.rows[Number(l.a) - 1];
    return row === undefined ? null : { row, absRow: l.abs1 };
  }
  const col = axes.cols[columnIndex(l.a)];
  const row = axes.rows[Number(l.b) - 1];
  return col === undefined || row === undefined ? null : { row, col, absCol: l.abs1, absRow: l.abs2 };
}

/**
 * A formula as a person typed it (`=SUM(A1:A3)*'Budget 2027'!B2`) → its
 * stored form. A reference outside the grid or to an unknown sheet stays
 * text, which the engine answers with an error.
 */
export function toTemplate(text: string, ctx: RefContext): FormulaTemplate {
  const refs: Ref[] = [];
  let f = "";
  let i = 0;
  const here = ctx.sheetById(ctx.sheetId);
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      // A string literal: copied as it is (`""` is an escaped quote).
      let j = i + 1;
      while (j < text.length && !(text[j] === '"' && text[j + 1] !== '"')) j += text[j] === '"' ? 2 : 1;
      f += escapeBraces(text.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    const prev = i > 0 ? text[i - 1]! : "";
    if (prev === "" || !(WORD.test(prev) || prev === "'" || prev === "$")) {
      let rest = text.slice(i);
      let sheet: SheetAxes | undefined = here;
      let sheetId: string | undefined;
      let prefixLength = 0;
      const quoted = /^'((?:[^']|'')+)'!/.exec(rest);
      const bare = quoted ? null : SHEET_BARE.exec(rest);
      const named = quoted ? quoted[1]!.replace(/''/g, "'") : bare?.[1];
      if (named !== undefined) {
        sheet = ctx.sheetByName(named);
        sheetId = sheet?.id;
        prefixLength = (quoted ?? bare)![0].length;
        rest = rest.slice(prefixLength);
      }
      const lexed = lexRef(rest);
      if (lexed && sheet) {
        const from = endOf(lexed.first, sheet);
        const to = lexed.second ? endOf(lexed.second, sheet) : undefined;
        if (from && to !== null) {
          f += `{${refs.length}}`;
          refs.push({ ...(sheetId !== undefined && { sheet: sheetId }), from, ...(to && { to }) });
          i += prefixLength + lexed.length;
          continue;
        }
      }
      if (lexed || named !== undefined) {
        // Not resolvable here: kept as text.
        const length = prefixLength + (lexed?.length ?? 0);
        f += escapeBraces(text.slice(i, i + length));
        i += length;
        continue;
      }
    }
    f += escapeBraces(ch);
    i++;
  }
  return { f, refs };
}

const escapeBraces = (s: string) => s.replace(/[{}]/g, (b) => b + b);

/** How a template's references are written: for a person (sheet names) or for the engine (sheet ids). */
export type RefStyle = "person" | "engine";

function endText(end: RefEnd, axes: SheetAxes): string | null {
  const r = end.row === undefined ? -1 : axes.rows.indexOf(end.row);
  const c = end.col === undefined ? -1 : axes.cols.indexOf(end.col);
  if ((end.row !== undefined && r < 0) || (end.col !== undefined && c < 0)) return null;
  const colText = end.col === undefined ? "" : `${end.absCol ? "$" : ""}${columnName(c)}`;
  const rowText = end.row === undefined ? "" : `${end.absRow ? "$" : ""}${r + 1}`;
  return colText + rowText;
}

/** One reference as text, or `#REF!` when a row, column or sheet of it was deleted. */
export function refText(ref: Ref, ctx: RefContext, style: RefStyle): string {
  const axes = ctx.sheetById(ref.sheet ?? ctx.sheetId);
  if (!axes) return "#REF!";
  const from = endText(ref.from, axes);
  const to = ref.to ? endText(ref.to, axes) : "";
  if (from === null || to === null) return "#REF!";
  const prefix = ref.sheet === undefined ? "" : sheetPrefix(style === "person" ? axes.name : axes.id);
  return `${prefix}${from}${ref.to ? `:${to}` : ""}`;
}

/** The stored form → formula text (`=` included, as stored). */
export function fromTemplate(t: FormulaTemplate, ctx: RefContext, style: RefStyle): string {
  return t.f.replace(/\{\{|\}\}|\{(\d+)\}/g, (m, n: string | undefined) => {
    if (n === undefined) return m[0]!;
    const ref = t.refs[Number(n)];
    return ref ? refText(ref, ctx, style) : "#REF!";
  });
}
