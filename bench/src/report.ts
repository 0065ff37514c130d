import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describeMachine, type Machine } from "./machine.ts";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const perfFile = path.join(repoRoot, "docs/PERFORMANCE.md");

export interface BenchReport {
  /** Section title in docs/PERFORMANCE.md */
  title: string;
  /** Markdown table rows; the first is the header. */
  table: string[][];
  /** Free text under the table: method, targets, interpretation. */
  notes: string[];
}

export function markdownTable(rows: string[][]): string {
  const [head, ...body] = rows;
  if (!head) return "";
  const line = (r: string[]) => `| ${r.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...body.map(line)].join("\n");
}

export function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join("  ")}\n`);
}

const HEADER = `# Performance

Figures measured by \`npm run bench\` (harness in \`bench/\`), each section
rewritten by its bench when it runs. Loopback only, embedded defaults unless a
section says otherwise. Targets come from DESIGN.md. Other engineers are often
running test suites on the same machine: each record carries the load average
at the start of the run, read the figures with it.
`;

/**
 * Replaces the bench's own section (between its markers) or appends it, so
 * that re-running one bench never disturbs the others' records.
 */
export function recordSection(name: string, report: BenchReport, m: Machine, command: string): void {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const section = [
    start,
    `## ${report.title}`,
    "",
    `Command: \`${command}\` — run ${new Date().toISOString().replace(/\.\d+Z$/, "Z")} on ${describeMachine(m)}.`,
    "",
    markdownTable(report.table),
    "",
    ...report.notes.flatMap((n) => [n, ""]),
    end,
  ].join("\n");
  let doc = existsSync(perfFile) ? readFileSync(perfFile, "utf8") : HEADER;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i) doc = doc.slice(0, i) + section + doc.slice(j + end.length);
  else doc = `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(perfFile, doc);
}
