import { machine } from "./machine.ts";
import { printTable, recordSection, type BenchReport } from "./report.ts";
import { startup } from "./startup.ts";
import { signin } from "./signin.ts";
import { read } from "./read.ts";
import { realtime } from "./realtime.ts";
import { chat } from "./chat.ts";
import { boards } from "./boards.ts";
import { files } from "./files.ts";
import { docs } from "./docs.ts";

/** Every bench by name; `npm run bench -- <name>` runs one, `npm run bench` runs them all in this order. */
const benches: Record<string, () => Promise<BenchReport>> = {
  startup,
  signin,
  read,
  realtime,
  chat,
  boards,
  files,
  docs,
};

// Options (`--db sqlite`, `--quick`) are read by the benches themselves; `--no-record` prints the figures without
// writing docs/PERFORMANCE.md (a run on a loaded machine must not replace quiet-machine records); the rest are bench names.
const args = process.argv.slice(2);
const flags = args.filter((a, i) => a.startsWith("--") || args[i - 1] === "--db");
const names = args.filter((a) => !flags.includes(a));
for (const n of names) {
  if (!benches[n]) {
    process.stderr.write(`Unknown bench "${n}". Available: ${Object.keys(benches).join(", ")}\n`);
    process.exit(64);
  }
}
for (const name of names.length ? names : Object.keys(benches)) {
  const m = machine();
  process.stdout.write(`\n== ${name} (load average ${m.loadAverage}) ==\n`);
  const report = await benches[name]!();
  printTable(report.table);
  for (const n of report.notes) process.stdout.write(`  ${n}\n`);
  // A --quick run is a smoke test: it must not replace the recorded figures.
  if (flags.includes("--quick") || flags.includes("--posting-only"))
    process.stdout.write("  (--quick or --posting-only: not recorded in docs/PERFORMANCE.md)\n");
  else if (flags.includes("--no-record"))
    process.stdout.write("  (--no-record: not recorded in docs/PERFORMANCE.md)\n");
  else recordSection(name, report, m, `npm run bench -- ${[name, ...flags].join(" ")}`);
}
// Clients some benches leave behind (providers' reconnect timers) must not keep the process alive.
process.exit(0);
