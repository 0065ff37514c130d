import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * No circular dependency between the workspaces (`@ensemble/*` packages,
 * modules, apps): where two modules would need each other, the kernel or the
 * shell carries the contract instead (the web manifest's `fileOpeners` is how
 * Partageons links documents to the docs editor without importing it).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

type Graph = ReadonlyMap<string, readonly string[]>;

function workspaceGraph(): Graph {
  const graph = new Map<string, string[]>();
  const dirs = ["packages", "modules", "apps"].flatMap((d) =>
    readdirSync(path.join(root, d)).map((e) => path.join(root, d, e)),
  );
  for (const dir of [...dirs, path.join(root, "bench"), path.join(root, "e2e")]) {
    const file = path.join(dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8")) as {
      name: string;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    const deps = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies };
    graph.set(
      pkg.name,
      Object.keys(deps).filter((d) => d.startsWith("@ensemble/")),
    );
  }
  return graph;
}

/** Every cycle's members, each cycle once (depth-first search, a back edge closes a cycle). */
function cycles(graph: Graph): string[][] {
  const found = new Map<string, string[]>();
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (name: string) => {
    state.set(name, "open");
    stack.push(name);
    for (const dep of graph.get(name) ?? []) {
      if (!graph.has(dep)) continue;
      if (state.get(dep) === "open") {
        const cycle = stack.slice(stack.indexOf(dep));
        found.set([...cycle].sort().join(" "), [...cycle, dep]);
      } else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(name, "done");
  };
  for (const name of graph.keys()) if (!state.has(name)) visit(name);
  return [...found.values()];
}

describe("workspace dependencies", () => {
  it("finds the workspaces", () => {
    const graph = workspaceGraph();
    for (const name of ["@ensemble/kernel", "@ensemble/files", "@ensemble/docs", "@ensemble/web"])
      expect(graph.has(name), name).toBe(true);
  });

  it("form no cycle", () => {
    expect(cycles(workspaceGraph()).map((c) => c.join(" → "))).toEqual([]);
  });

  it("the cycle finder finds a cycle (so an empty answer means something)", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c", "x"]],
      ["c", ["a"]],
      ["d", ["d"]],
      ["e", ["a"]],
    ]);
    expect(cycles(graph)).toEqual([
      ["a", "b", "c", "a"],
      ["d", "d"],
    ]);
  });
});
