import { readFileSync } from "node:fs";
import os from "node:os";

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: string;
  node: string;
  loadAverage: string;
}

/** What the figures were measured on: they mean little without it. */
export function machine(): Machine {
  let cpuModel = os.cpus()[0]?.model ?? "unknown";
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m?.[1]) cpuModel = m[1].trim();
  } catch {
    // Not Linux: os.cpus() is the best we have.
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel,
    memoryGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    loadAverage: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" "),
  };
}

export const describeMachine = (m: Machine): string =>
  `${m.cpus} CPU (${m.cpuModel}), ${m.memoryGiB} GiB RAM, Node ${m.node}, load average at start ${m.loadAverage} (1/5/15 min)`;
