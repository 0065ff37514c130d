import * as Y from "yjs";
import { afterEach, describe, expect, it } from "vitest";
import { SheetEngine } from "./engine.ts";
import { Workbook } from "./workbook.ts";

const open: SheetEngine[] = [];
afterEach(() => {
  for (const e of open.splice(0)) e.destroy();
});

/** A workbook with its first sheet and an engine on it. */
function workbook(doc = new Y.Doc()) {
  const wb = new Workbook(doc);
  wb.ensureFirstSheet();
  const engine = new SheetEngine(wb);
  open.push(engine);
  const s = wb.sheetIds()[0]!;
  /** Types into cells given as A1 names. */
  const put = (cells: Record<string, string>, sheet = s) => {
    for (const [name, text] of Object.entries(cells)) {
      const m = /^([A-Z]+)(\d+)$/.exec(name)!;
      wb.setInput(sheet, Number(m[2]) - 1, m[1]!.charCodeAt(0) - 65, text);
    }
  };
  const at = (name: string, sheet = s) => {
    const m = /^([A-Z]+)(\d+)$/.exec(name)!;
    return engine.value(sheet, Number(m[2]) - 1, m[1]!.charCodeAt(0) - 65);
  };
  const input = (name: string, sheet = s) => {
    const m = /^([A-Z]+)(\d+)$/.exec(name)!;
    return wb.inputAt(sheet, Number(m[2]) - 1, m[1]!.charCodeAt(0) - 65);
  };
  return { wb, engine, s, put, at, input, doc };
}

describe("formulas computed by HyperFormula from the shared inputs", () => {
  it("SUM, AVERAGE, IF, VLOOKUP, and inputs with a decimal comma or a percent", () => {
    const { put, at } = workbook();
    put({ A1: "10", A2: "20,5", A3: "30", B1: "=SUM(A1:A3)", B2: "=AVERAGE(A1:A3)", B3: '=IF(B1>60,"haut","bas")' });
    expect(at("B1")).toBe(60.5);
    expect(at("B2")).toBeCloseTo(20.1667, 3);
    expect(at("B3")).toBe("haut");
    put({ C1: "pommes", D1: "3", C2: "poires", D2: "7", E1: '=VLOOKUP("poires",C1:D2,2,FALSE)', E2: "15 %" });
    expect(at("E1")).toBe(7);
    expect(at("E2")).toBeCloseTo(0.15);
    // An edit recomputes what depends on it.
    put({ A3: "0" });
    expect(at("B1")).toBe(30.5);
    expect(at("B3")).toBe("bas");
  });

  it("text that looks like a formula stays text; a cleared cell is empty", () => {
    const { put, at, input } = workbook();
    put({ A1: "Bonjour", A2: "-", A3: "=", B1: "x" });
    expect([at("A1"), at("A2"), at("A3")]).toEqual(["Bonjour", "-", "="]);
    put({ B1: "" });
    expect(at("B1")).toBeNull();
    expect(input("B1")).toBe("");
  });

  it("references another sheet by its name, and follow a rename", () => {
    const { wb, put, at, input } = workbook();
    const budget = wb.addSheet("Budget 2027");
    put({ A1: "100", A2: "=A1*2" }, budget);
    put({ A1: "='Budget 2027'!A2+1" });
    expect(at("A1")).toBe(201);
    wb.renameSheet(budget, "Prévisions");
    expect(input("A1")).toBe("=Prévisions!A2+1");
    expect(at("A1")).toBe(201);
  });

  it("shows #DIV/0!, #REF! for a deleted row, and an unknown sheet as an error", () => {
    const { wb, s, put, at, input } = workbook();
    put({ A1: "1", A2: "0", B1: "=A1/A2", B2: "=A3*2", A3: "4", B3: "=Inconnue!A1" });
    expect(at("B1")).toEqual({ error: "#DIV/0!" });
    expect(at("B2")).toBe(8);
    // The unknown sheet's name stays text: the engine answers that it refers to nothing.
    expect(at("B3")).toEqual({ error: "#REF!" });
    wb.deleteRows(s, 2);
    expect(input("B2")).toBe("=#REF!*2");
    expect(at("B2")).toEqual({ error: "#REF!" });
  });

  it("inserted and deleted rows and columns keep formulas on their cells", () => {
    const { wb, s, put, at, input } = workbook();
    put({ A1: "1", A2: "2", A3: "3", C1: "=SUM(A1:A3)", C2: "=$A$3" });
    wb.insertRows(s, 1, 2); // two rows above A2
    expect(input("C1")).toBe("=SUM(A1:A5)");
    expect(input("C4")).toBe("=$A$5");
    expect(at("C1")).toBe(6);
    put({ A2: "10" }); // inside the range now
    expect(at("C1")).toBe(16);
    wb.insertCols(s, 0); // a column before A
    expect(input("D1")).toBe("=SUM(B1:B5)");
    expect(at("D1")).toBe(16);
    wb.deleteCols(s, 0);
    wb.deleteRows(s, 1); // the row holding 10
    expect(input("C1")).toBe("=SUM(A1:A4)");
    expect(at("C1")).toBe(6);
  });
});

describe("two Yjs documents editing one workbook", () => {
  /** Two replicas that exchange updates only when `sync` is called (as two clients offline for a moment). */
  function pair() {
    const a = workbook();
    const b = workbook(new Y.Doc());
    const sync = () => {
      Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)));
      Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)));
    };
    return { a, b, sync };
  }

  it("both created the first sheet at once: one sheet", () => {
    const { a, b, sync } = pair();
    sync();
    expect(a.wb.sheetIds()).toEqual(b.wb.sheetIds());
    expect(a.wb.sheetIds()).toHaveLength(1);
  });

  it("edits to different cells both stay; the same cell ends with one value on both; formulas agree", () => {
    const { a, b, sync } = pair();
    a.put({ A1: "5", C1: "=A1+A2" });
    b.put({ A2: "7" });
    a.put({ B1: "de A" });
    b.put({ B1: "de B" });
    sync();
    for (const x of [a, b]) {
      expect(x.at("A1")).toBe(5);
      expect(x.at("A2")).toBe(7);
      expect(x.at("C1")).toBe(12);
    }
    expect(a.at("B1")).toBe(b.at("B1"));
    expect(["de A", "de B"]).toContain(a.at("B1"));
  });

  it("a row inserted on one side while the other writes a formula: both point at the same cells", () => {
    const { a, b, sync } = pair();
    a.put({ A1: "1", A2: "2" });
    sync();
    b.wb.insertRows(b.s, 0); // b: a row at the top
    a.put({ B1: "=A2*10" }); // a, not seeing it: refers to the cell holding 2
    sync();
    for (const x of [a, b]) {
      expect(x.input("B2")).toBe("=A3*10");
      expect(x.at("B2")).toBe(20);
    }
  });
});
