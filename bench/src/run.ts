import { machine } from "./machine.ts";
import { printTable, recordSection, type BenchReport } from "./report.ts";
import { startup } from "./startup.ts";
import { signin } from "./signin.ts";
import { read } from "./read.ts";
import { realtime } from "./realtime.ts";
import { chat } from "./chat.ts";

/** Every bench by name; `npm run bench -- <name>` runs one, `npm run bench` runs them all in this order. */
const benches: Record<string, () => Promise<BenchReport>> = {
  startup,
  signin,
  read,
  realtime,
  chat,
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
  if (flags.includes("--quick")) process.stdout.write("  (--quick: not recorded in docs/PERFORMANCE.md)\n");
  else if (flags.includes("--no-record"))
    process.stdout.write("  (--no-record: not recorded in docs/PERFORMANCE.md)\n");
  else recordSection(name, report, m, `npm run bench -- ${[name, ...flags].join(" ")}`);
}
