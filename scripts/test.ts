/**
 * The README's test command. Runs every Vitest suite on the database chosen
 * by ENSEMBLE_TEST_DB (sqlite by default, postgres to switch), then the
 * browser suites unless ENSEMBLE_TEST_BROWSER=0. With CI=true a skipped or
 * pending test fails the run: a missing dependency is a failure, not a skip.
 * Extra arguments are passed to Vitest (e.g. a file filter).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numTotalTestSuites: number;
}

const ci = process.env.CI === "true";
const db = process.env.ENSEMBLE_TEST_DB === "postgres" ? "postgres" : "sqlite";
const out = path.join(mkdtempSync(path.join(tmpdir(), "ensemble-vitest-")), "result.json");

function runVitest(configArgs: string[], label: string): VitestJson | null {
  process.stdout.write(`\n=== ${label} (database: ${db}) ===\n`);
  const r = spawnSync(
    "vitest",
    [
      "run",
      ...configArgs,
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${out}`,
      ...process.argv.slice(2),
    ],
    { stdio: "inherit", env: process.env },
  );
  try {
    return JSON.parse(readFileSync(out, "utf8")) as VitestJson;
  } catch {
    if (r.status !== 0) process.stderr.write(`${label}: vitest exited with ${r.status} and wrote no results\n`);
    return null;
  }
}

const runs: [string, string[]][] = [["server suites", []]];
if (process.env.ENSEMBLE_TEST_BROWSER !== "0" && process.argv.length <= 2)
  runs.push(["browser suites", ["--config", "e2e/vitest.config.ts"]]);

let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;
for (const [label, args] of runs) {
  if (label === "browser suites") {
    try {
      readFileSync("e2e/vitest.config.ts");
    } catch {
      continue;
    }
  }
  const started = Date.now();
  const r = runVitest(args, label);
  process.stdout.write(`=== ${label} (database: ${db}) took ${((Date.now() - started) / 1000).toFixed(0)} s ===\n`);
  if (!r) {
    broken = true;
    continue;
  }
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
}

process.stdout.write(`\nSummary: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
if (ci && skipped > 0) process.stderr.write("CI=true: skipped or pending tests are failures.\n");
if (passed === 0) process.stderr.write("No test ran.\n");
process.exit(broken || failed > 0 || passed === 0 || (ci && skipped > 0) ? 1 : 0);
