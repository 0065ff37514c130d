import type { Computed } from "../../shared/sheets/engine.ts";
import type { CellFormat } from "../../shared/sheets/workbook.ts";

const formatters = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, num: CellFormat["num"]): Intl.NumberFormat {
  const key = `${locale}|${num ?? "general"}`;
  let f = formatters.get(key);
  if (!f) {
    f =
      num === "percent"
        ? new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 })
        : num === "currency"
          ? new Intl.NumberFormat(locale, { style: "currency", currency: "EUR" })
          : new Intl.NumberFormat(locale, { maximumFractionDigits: 10, useGrouping: false });
    formatters.set(key, f);
  }
  return f;
}

/** A computed value as the cell shows it, in the reader's language; how it aligns by default. */
export function displayValue(
  v: Computed,
  format: CellFormat,
  locale: string,
  words: { true: string; false: string },
): { text: string; kind: "number" | "text" | "error" | "empty" } {
  if (v === null) return { text: "", kind: "empty" };
  if (typeof v === "object") return { text: v.error, kind: "error" };
  if (typeof v === "boolean") return { text: v ? words.true : words.false, kind: "text" };
  if (typeof v === "number") return { text: numberFormat(locale, format.num).format(v), kind: "number" };
  return { text: v, kind: "text" };
}
