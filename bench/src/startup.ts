import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BenchReport } from "./report.ts";
import { startServerProcess } from "./server-process.ts";

const IDLE_MS = 5_000;
const RUNS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * `npm start` on a fresh DATA_DIR: time until /readyz answers 200 (process
 * spawn, module loading, migrations, listen) and resident memory after 5 s
 * idle. Then one restart on the now-migrated directory.
 */
export async function startup(): Promise<BenchReport> {
  const fresh: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = await startServerProcess();
    fresh.push(s.readyMs);
    // The measurement is "RSS after idling": here waiting is the point.
    await new Promise((r) => setTimeout(r, IDLE_MS));
    rss.push(s.rssMiB());
    await s.stop();
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), "ensemble-bench-"));
  try {
    const first = await startServerProcess({ dataDir });
    await first.stop();
    const again = await startServerProcess({ dataDir });
    const restartMs = again.readyMs;
    await again.stop();
    const ms = (x: number) => `${(x / 1000).toFixed(2)} s`;
    const mib = (x: number) => `${x.toFixed(0)} MiB (${((x * 2 ** 20) / 1e6).toFixed(0)} MB)`;
    return {
      title: "Start-up and idle memory (`startup`)",
      table: [
        ["measure", "median", "all runs", "target"],
        [
          "time to ready, fresh DATA_DIR (spawn → /readyz 200, migrations included)",
          ms(median(fresh)),
          fresh.map(ms).join(", "),
          "< 3 s",
        ],
        ["time to ready, restart on a migrated DATA_DIR", ms(restartMs), ms(restartMs), "< 3 s"],
        [`RSS after ${IDLE_MS / 1000} s idle (VmRSS)`, mib(median(rss)), rss.map(mib).join(", "), "< 200 MB"],
      ],
      notes: [
        "Each run spawns `node --max-semi-space-size=8 apps/server/src/cli.ts serve` (what `npm start` runs) with embedded defaults (SQLite under a new temporary DATA_DIR, no Redis), polls `/readyz` every 10 ms and reads `VmRSS` from `/proc/<pid>/status` after the idle period.",
        "Time to ready includes Node start-up and TypeScript type stripping of the server sources (no build step), so it is sensitive to the machine's load.",
      ],
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
