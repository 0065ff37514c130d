import * as Y from "yjs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SheetEngine } from "./engine.ts";
import { cellName } from "./refs.ts";
import { Workbook } from "./workbook.ts";

type Op = { replica: 0 | 1; kind: "insRow" | "delRow" | "insCol" | "delCol"; at: number; count: number } | "sync";

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<"sync">("sync"),
  fc.record({
    replica: fc.constantFrom<0 | 1>(0, 1),
    kind: fc.constantFrom("insRow", "delRow", "insCol", "delCol"),
    at: fc.nat({ max: 12 }),
    count: fc.integer({ min: 1, max: 3 }),
  }),
);

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** Where a cell (by ids) is now, or null when its row or column was deleted. */
function position(wb: Workbook, s: string, rowId: string, colId: string) {
  const r = wb.rows(s).toArray().indexOf(rowId);
  const c = wb.cols(s).toArray().indexOf(colId);
  return r < 0 || c < 0 ? null : { r, c };
}

describe("formula references under any interleaving of row and column inserts and deletes", () => {
  it("point at the same cells on both replicas, or show #REF! when those cells are gone", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const docs = [new Y.Doc(), new Y.Doc()] as const;
        const wbs = docs.map((d) => new Workbook(d));
        for (const wb of wbs) wb.ensureFirstSheet();
        const wb = wbs[0]!;
        const s = wb.sheetIds()[0]!;
        // Targets B3 (a single cell) and the range D2:E6 with a marker in each corner; formulas in row 8.
        wb.setInput(s, 2, 1, "42");
        wb.setInput(s, 1, 3, "1");
        wb.setInput(s, 5, 4, "10");
        wb.setInput(s, 7, 0, "=B3");
        wb.setInput(s, 7, 1, "=SUM(D2:E6)");
        const id = (r: number, c: number) => ({ row: wb.rows(s).get(r), col: wb.cols(s).get(c) });
        const target = id(2, 1);
        const [corner1, corner2] = [id(1, 3), id(5, 4)];
        const [f1, f2] = [id(7, 0), id(7, 1)];
        sync(docs[0], docs[1]);
        for (const o of ops) {
          if (o === "sync") {
            sync(docs[0], docs[1]);
            continue;
          }
          const w = wbs[o.replica]!;
          const size = o.kind.endsWith("Row") ? w.rows(s).length : w.cols(s).length;
          const at = Math.min(o.at, size - 1);
          const count = Math.min(o.count, size - at - 1);
          if (count < 1) continue;
          if (o.kind === "insRow") w.insertRows(s, at, count);
          else if (o.kind === "insCol") w.insertCols(s, at, count);
          else if (o.kind === "delRow") w.deleteRows(s, at, count);
          else w.deleteCols(s, at, count);
        }
        sync(docs[0], docs[1]);
        const engines = wbs.map((w) => new SheetEngine(w));
        try {
          for (const [i, w] of wbs.entries()) {
            const e = engines[i]!;
            const fp1 = position(w, s, f1.row, f1.col);
            if (fp1) {
              const tp = position(w, s, target.row, target.col);
              const text = w.inputAt(s, fp1.r, fp1.c);
              if (tp) {
                expect(text).toBe(`=${cellName(tp.r, tp.c)}`);
                expect(e.value(s, fp1.r, fp1.c)).toBe(42);
              } else expect(e.value(s, fp1.r, fp1.c)).toEqual({ error: "#REF!" });
            }
            const fp2 = position(w, s, f2.row, f2.col);
            if (fp2) {
              const gone = !position(w, s, corner1.row, corner1.col) || !position(w, s, corner2.row, corner2.col);
              // Both corners stand: the range still spans them, whatever moved inside.
              expect(e.value(s, fp2.r, fp2.c)).toEqual(gone ? { error: "#REF!" } : 11);
            }
          }
          // Both replicas agree on every input.
          const cells = (w: Workbook) =>
            JSON.stringify([w.rows(s).toArray(), w.cols(s).toArray(), w.cells(s).toJSON()]);
          expect(cells(wbs[1]!)).toBe(cells(wbs[0]!));
        } finally {
          for (const e of engines) e.destroy();
        }
      }),
      { numRuns: 40 },
    );
  });
});
