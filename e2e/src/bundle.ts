import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const WEB_DIST = fileURLToPath(new URL("../../apps/web/dist", import.meta.url));
/** DESIGN.md: the shell ships < 250 KB of gzipped JavaScript before a service is opened. */
export const SHELL_BUDGET_BYTES = 250 * 1024;

export interface Chunk {
  file: string;
  bytes: number;
  gzip: number;
  initial: boolean;
}

/** Every JS chunk of the build, with its gzipped size and whether index.html loads it up front. */
export function chunks(dist = WEB_DIST): Chunk[] {
  const html = readFileSync(path.join(dist, "index.html"), "utf8");
  const initial = new Set([...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!));
  return readdirSync(path.join(dist, "assets"))
    .filter((f) => f.endsWith(".js"))
    .map((f) => {
      const buf = readFileSync(path.join(dist, "assets", f));
      return { file: `assets/${f}`, bytes: buf.length, gzip: gzipSync(buf, { level: 9 }).length, initial: initial.has(`assets/${f}`) };
    })
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.gzip - a.gzip);
}

export const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** The table recorded in docs/PERFORMANCE.md ("Web shell"). */
export function chunkTable(list: Chunk[]): string {
  const rows = list.map((c) => `| \`${c.file.replace(/-[\w-]{8}\.js$/, ".js")}\` | ${c.initial ? "yes" : "no (lazy)"} | ${kb(c.bytes)} | ${kb(c.gzip)} |`);
  const shell = list.filter((c) => c.initial).reduce((s, c) => s + c.gzip, 0);
  return [
    "| chunk | loaded at start | size | gzipped |",
    "|---|---|---|---|",
    ...rows,
    `| **shell before any service (initial chunks)** | | | **${kb(shell)}** (budget ${kb(SHELL_BUDGET_BYTES)}) |`,
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${chunkTable(chunks())}\n`);
