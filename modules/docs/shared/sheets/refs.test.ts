import { describe, expect, it } from "vitest";
import { columnIndex, columnName, fromTemplate, toTemplate, type RefContext, type SheetAxes } from "./refs.ts";

const axes = (id: string, name: string): SheetAxes => ({
  id,
  name,
  rows: Array.from({ length: 50 }, (_, i) => `${id}r${i}`),
  cols: Array.from({ length: 30 }, (_, i) => `${id}c${i}`),
});
const sheets = [axes("s1", "Feuille 1"), axes("s2", "Budget 2027"), axes("s3", "Dépenses")];
const ctx: RefContext = {
  sheetId: "s1",
  sheetById: (id) => sheets.find((s) => s.id === id),
  sheetByName: (name) => sheets.find((s) => s.name.toLowerCase() === name.toLowerCase()),
};
const roundTrip = (text: string) => fromTemplate(toTemplate(text, ctx), ctx, "person");

describe("references in formulas, stored as ids", () => {
  it("names columns as spreadsheets do", () => {
    expect([0, 25, 26, 27, 701, 702].map(columnName)).toEqual(["A", "Z", "AA", "AB", "ZZ", "AAA"]);
    expect(["A", "Z", "AA", "ZZ", "AAA"].map(columnIndex)).toEqual([0, 25, 26, 701, 702]);
  });

  it("finds cells, ranges, whole columns and rows, absolute marks and other sheets; leaves the rest alone", () => {
    const t = toTemplate(`=SUM(A1:B3)+$C$4+LOG10(D5)+'Budget 2027'!A1+Dépenses!B:B+SUM(2:3)+"A1"&{1,2}`, ctx);
    expect(t.f).toBe(`=SUM({0})+{1}+LOG10({2})+{3}+{4}+SUM({5})+"A1"&{{1,2}}`);
    expect(t.refs[0]).toEqual({
      from: { row: "s1r0", col: "s1c0", absCol: false, absRow: false },
      to: { row: "s1r2", col: "s1c1", absCol: false, absRow: false },
    });
    expect(t.refs[3]).toMatchObject({ sheet: "s2", from: { row: "s2r0", col: "s2c0" } });
    expect(t.refs[4]).toMatchObject({ sheet: "s3", from: { col: "s3c1" }, to: { col: "s3c1" } });
    expect(roundTrip(`=SUM(A1:B3)+$C$4+LOG10(D5)+'Budget 2027'!A1+Dépenses!B:B+SUM(2:3)+"A1"&{1,2}`)).toBe(
      `=SUM(A1:B3)+$C$4+LOG10(D5)+'Budget 2027'!A1+Dépenses!B:B+SUM(2:3)+"A1"&{1,2}`,
    );
  });

  it("writes sheet ids for the engine, and keeps what it cannot resolve as text", () => {
    // `s2` reads as a cell name: quoted.
    expect(fromTemplate(toTemplate("='Budget 2027'!B2*2", ctx), ctx, "engine")).toBe("='s2'!B2*2");
    // Beyond the grid, or an unknown sheet: kept as typed (the engine answers with its error).
    expect(toTemplate("=A999+Inconnue!A1", ctx)).toEqual({ f: "=A999+Inconnue!A1", refs: [] });
  });
});
