/**
 * `npm run check`: formatting, both type-checks, the lint and knip, two at a time.
 * The type-aware lint builds the same programs as tsc and costs about as much,
 * so run one after the other they would make CI wait; side by side on two
 * cores the whole check takes about as long as it did before the lint read
 * types. Each step's output is printed when it ends; any failure fails the run.
 */
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";

interface Step {
  name: string;
  command: string;
  args: string[];
}

// Longest first, so the two lanes end close together.
const steps: Step[] = [
  { name: "eslint", command: "eslint", args: ["."] },
  { name: "tsc (server)", command: "tsc", args: ["-p", "tsconfig.json", "--noEmit"] },
  { name: "tsc (web)", command: "tsc", args: ["-p", "apps/web/tsconfig.json", "--noEmit"] },
  { name: "prettier", command: "prettier", args: ["--check", "."] },
  // Unused files, dependencies and exports, and imports of packages a workspace does not list (knip.jsonc).
  { name: "knip", command: "knip", args: ["--no-progress"] },
];

function run(step: Step): Promise<boolean> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { stdio: ["ignore", "pipe", "pipe"], env: process.env });
    const output: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => output.push(b));
    child.stderr.on("data", (b: Buffer) => output.push(b));
    const done = (ok: boolean, note = "") => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`\n--- ${step.name}: ${ok ? "ok" : "FAILED"} (${seconds} s)${note}\n`);
      process.stdout.write(Buffer.concat(output));
      resolve(ok);
    };
    child.on("error", (e) => done(false, ` ${e.message}`));
    child.on("close", (code) => done(code === 0));
  });
}

const queue = [...steps];
const results: boolean[] = [];
async function lane(): Promise<void> {
  for (let step = queue.shift(); step; step = queue.shift()) results.push(await run(step));
}
await Promise.all(Array.from({ length: Math.min(2, availableParallelism()) }, lane));
process.exitCode = results.every(Boolean) ? 0 : 1;
