import { machine } from "./machine.ts";
import { printTable, recordSection, type BenchReport } from "./report.ts";
import { startup } from "./startup.ts";
import { signin } from "./signin.ts";
import { read } from "./read.ts";
import { realtime } from "./realtime.ts";

/** Every bench by name; `npm run bench -- <name>` runs one, `npm run bench` runs them all in this order. */
const benches: Record<string, () => Promise<BenchReport>> = {
  startup,
  signin,
  read,
  realtime,
};

const names = process.argv.slice(2);
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
  recordSection(name, report, m, `npm run bench -- ${name}`);
}
