import { readdirSync, readFileSync, writeFileSync } from "node:fs";
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
      return {
        file: `assets/${f}`,
        bytes: buf.length,
        gzip: gzipSync(buf, { level: 9 }).length,
        initial: initial.has(`assets/${f}`),
      };
    })
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.gzip - a.gzip);
}

export const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** The table recorded in docs/PERFORMANCE.md ("Web shell"). */
export function chunkTable(list: Chunk[]): string {
  const rows = list.map(
    (c) =>
      `| \`${c.file.replace(/-[\w-]{8}\.js$/, ".js")}\` | ${c.initial ? "yes" : "no (lazy)"} | ${kb(c.bytes)} | ${kb(c.gzip)} |`,
  );
  const shell = list.filter((c) => c.initial).reduce((s, c) => s + c.gzip, 0);
  return [
    "| chunk | loaded at start | size | gzipped |",
    "|---|---|---|---|",
    ...rows,
    `| **shell before any service (initial chunks)** | | | **${kb(shell)}** (budget ${kb(SHELL_BUDGET_BYTES)}) |`,
  ].join("\n");
}

/**
 * `node e2e/src/bundle.ts --write [--tti=<ms>]` rewrites the "Web shell"
 * section of docs/PERFORMANCE.md (between its markers) from the current build;
 * the time to interactive is the figure printed by e2e/pwa.test.ts.
 */
function writeSection(tti: string | undefined): void {
  const doc = fileURLToPath(new URL("../../docs/PERFORMANCE.md", import.meta.url));
  const start = "<!-- web:shell -->";
  const end = "<!-- /web:shell -->";
  const section = [
    start,
    "## Web shell",
    "",
    `Command: \`node e2e/src/bundle.ts --write\` after \`vite build\` in apps/web — run ${new Date().toISOString().slice(0, 16)}Z. Sizes are each JavaScript chunk of the production build, gzipped at level 9; "loaded at start" means index.html references it (entry script or modulepreload), i.e. what a browser fetches before any service is opened. \`e2e/bundle.test.ts\` fails the build above the budget.`,
    "",
    chunkTable(chunks()),
    "",
    "Every service of the module list (its pages, home cards and tabs: the chat's entry is `chat`), the settings, the administration, the search dialog, the profile card and the realtime client (`@ensemble/client` with the protocol's zod schemas) are separate chunks fetched on first use. The CSS (Mantine's stylesheet) is one file of about 36 KB gzipped, loaded at start.",
    "",
    ...(tti
      ? [
          `Time to interactive of the signed-in home page on loopback: **${tti} ms** (navigation start → the greeting heading rendered with the user's name, service worker warm, measured by \`e2e/pwa.test.ts\` in headless Chromium).`,
          "",
        ]
      : []),
    end,
  ].join("\n");
  const text = readFileSync(doc, "utf8");
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  const next =
    i >= 0 && j > i ? text.slice(0, i) + section + text.slice(j + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(doc, next);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes("--write")) writeSection(process.argv.find((a) => a.startsWith("--tti="))?.slice(6));
  else process.stdout.write(`${chunkTable(chunks())}\n`);
}
