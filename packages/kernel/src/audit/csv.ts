/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would read as a formula
 * (starting with = + - @, or a tab / carriage return that some strip first)
 * is prefixed with an apostrophe, so that opening an export never runs what
 * an attacker typed as a login or a name.
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvRow = (cells: readonly unknown[]): string => `${cells.map(csvCell).join(",")}\r\n`;
