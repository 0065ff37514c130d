import autocannon from "autocannon";
import type { BenchReport } from "./report.ts";
import { createAdmin, startServerProcess } from "./server-process.ts";

const CONNECTIONS = 200;
const SECONDS = 15;

/** An authenticated read (`GET /api/me` with a session cookie) under 200 concurrent connections. */
export async function read(): Promise<BenchReport> {
  const server = await startServerProcess();
  try {
    const admin = await createAdmin(server);
    const opts = {
      url: `${server.url}/api/me`,
      headers: { cookie: admin.cookie },
      connections: CONNECTIONS,
      timeout: 30,
    };
    // Warm-up: JIT, connection set-up, SQLite page cache.
    await autocannon({ ...opts, duration: 2 });
    const r = await autocannon({ ...opts, duration: SECONDS });
    if (r["2xx"] === 0) throw new Error(`no read succeeded: ${JSON.stringify(r.statusCodeStats)}`);
    const rss = server.rssMiB();
    return {
      title: "Authenticated read at 200 connections (`read`)",
      table: [
        ["requests/s (mean)", "p50", "p90", "p99", "p99.9", "max", "requests", "non-2xx / errors", "server RSS after"],
        [
          r.requests.average.toFixed(0),
          `${r.latency.p50} ms`,
          `${r.latency.p90} ms`,
          `${r.latency.p99} ms`,
          `${r.latency.p99_9} ms`,
          `${r.latency.max} ms`,
          String(r["2xx"] + r.non2xx),
          `${r.non2xx} / ${r.errors}`,
          `${rss.toFixed(0)} MiB`,
        ],
      ],
      notes: [
        `Method: \`ensemble serve\` as a separate process with embedded defaults (SQLite, LOG_LEVEL=info: every request is logged, as in production), first administrator created through \`POST /api/setup\`, then autocannon (same machine, loopback) holds ${CONNECTIONS} connections sending \`GET /api/me\` with the session cookie for ${SECONDS} s after a 2 s warm-up. Each request resolves the session (a join on sessions and users by token hash), loads the user and presents it.`,
        "The load generator and the server share the machine's cores, so these figures are a floor for what a dedicated server does.",
      ],
    };
  } finally {
    await server.stop();
  }
}
