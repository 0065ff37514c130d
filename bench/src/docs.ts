import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import * as Y from "yjs";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { WebsocketProvider } from "y-websocket";
import type { BenchReport } from "./report.ts";
import { createAdmin, freePort, rssMiB, startServerProcess } from "./server-process.ts";

const EDITORS = Number(process.env.BENCH_DOCS_EDITORS ?? 50);
const EDITS = Number(process.env.BENCH_DOCS_EDITS ?? 30);
/** A keystroke every 200 ms per editor: human typing speed, about 60 words a minute. */
const PACE_MS = Number(process.env.BENCH_DOCS_PACE_MS ?? 200);

/** One editor: its document and a way to close it, whichever server it talks to. */
interface Editor {
  doc: Y.Doc;
  synced: Promise<void>;
  close(): void;
}

/** A server under test: where it runs and how an editor connects to its one document. */
interface Target {
  name: string;
  pid: number;
  connect(): Editor;
  stop(): Promise<void>;
}

/** Seconds of CPU (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};

/** Ensemble: `ensemble serve` as `npm start` runs it; editors are the stock Hocuspocus provider with a session cookie. */
async function ensemble(): Promise<Target> {
  const server = await startServerProcess({ timeoutMs: 180_000 });
  const admin = await createAdmin(server);
  const csrf = /ensemble_csrf=([^;]+)/.exec(admin.cookie)?.[1] ?? "";
  const headers = { cookie: admin.cookie, "x-csrf-token": csrf };
  const spaces = (await (await fetch(`${server.url}/api/files/spaces`, { headers })).json()) as {
    spaces: { rootId: string }[];
  };
  const put = await fetch(`${server.url}/api/files/nodes/${spaces.spaces[0]!.rootId}/files?name=bench.ensdoc`, {
    method: "PUT",
    headers: { ...headers, "content-type": "application/vnd.ensemble.document+json" },
    body: '{"type":"ensemble-document","version":1}\n',
  });
  if (put.status !== 200) throw new Error(`document not created: ${put.status} ${await put.text()}`);
  const docId = ((await put.json()) as { id: string }).id;
  class CookieSocket extends WebSocket {
    constructor(url: string) {
      super(url, { headers: { cookie: admin.cookie } });
    }
  }
  return {
    name: "Ensemble (/collab, Hocuspocus 4.7, SQLite, every update logged before its ack)",
    pid: server.pid,
    connect: () => {
      const doc = new Y.Doc();
      const websocketProvider = new HocuspocusProviderWebsocket({
        url: `${server.url.replace(/^http/, "ws")}/collab`,
        WebSocketPolyfill: CookieSocket,
      });
      const provider = new HocuspocusProvider({ websocketProvider, name: docId, document: doc });
      provider.attach();
      const synced = new Promise<void>((resolve) => provider.on("synced", () => resolve()));
      return {
        doc,
        synced,
        close: () => {
          provider.destroy();
          websocketProvider.destroy();
        },
      };
    },
    stop: () => server.stop(),
  };
}

/**
 * The reference Yjs backend, `@y/websocket-server` (in memory, no persistence), with y-websocket's provider.
 * 0.1.1, not 0.1.5: 0.1.5 needs `@y/y@*`, which only has pre-releases, so npm cannot install it.
 */
async function reference(): Promise<Target> {
  const port = await freePort();
  // The package's own start script (its `y-websocket-server` bin); 0.1.1 exports no path to it.
  const script = path.join(
    path.dirname(fileURLToPath(import.meta.resolve("@y/websocket-server/package.json"))),
    "src/server.js",
  );
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`@y/websocket-server exited with ${code}`)));
    child.stdout!.on("data", (c: Buffer) => {
      if (c.toString().includes("running")) resolve();
    });
  });
  return {
    name: "@y/websocket-server 0.1.1 (in memory)",
    pid: child.pid!,
    connect: () => {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(`ws://127.0.0.1:${port}`, "bench", doc, {
        WebSocketPolyfill: WebSocket as never,
      });
      const synced = new Promise<void>((resolve) => provider.once("sync", () => resolve()));
      return { doc, synced, close: () => provider.destroy() };
    },
    stop: async () => {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

interface Figures {
  p50: number;
  p99: number;
  convergeMs: number;
  cpuS: number;
  rssMiB: number;
}

/**
 * EDITORS editors on one document, each typing EDITS characters at PACE_MS,
 * start times spread over one pace. Every keystroke also records when it was
 * typed (a Y.Map entry) so each other editor measures its propagation.
 */
async function workload(t: Target): Promise<Figures> {
  const editors = Array.from({ length: EDITORS }, () => t.connect());
  await Promise.all(editors.map((e) => e.synced));
  const latencies: number[] = [];
  const expected = EDITORS * EDITS;
  let allSeen: () => void = () => undefined;
  let completeAt = 0;
  const done = new Promise<void>((resolve) => (allSeen = resolve));
  const complete = new Set<number>();
  editors.forEach((e, i) => {
    const stamps = e.doc.getMap<number>("typed");
    stamps.observe((ev, tr) => {
      const now = performance.now();
      if (!tr.local) for (const key of ev.keysChanged) latencies.push(now - stamps.get(key)!);
      // An editor's own last keystroke may be what completes its copy.
      if (stamps.size === expected) complete.add(i);
      if (complete.size === EDITORS && completeAt === 0) {
        completeAt = performance.now();
        allSeen();
      }
    });
  });
  const cpu0 = cpuSeconds(t.pid);
  let lastTyped = 0;
  await Promise.all(
    editors.map(async (e, i) => {
      await new Promise((r) => setTimeout(r, (PACE_MS * i) / EDITORS));
      const text = e.doc.getText("body");
      const stamps = e.doc.getMap<number>("typed");
      for (let n = 0; n < EDITS; n++) {
        lastTyped = performance.now();
        e.doc.transact(() => {
          text.insert(Math.floor(Math.random() * (text.length + 1)), "abcdefghij"[n % 10]!);
          stamps.set(`${i}:${n}`, performance.now());
        });
        await new Promise((r) => setTimeout(r, PACE_MS));
      }
    }),
  );
  await done;
  const convergeMs = completeAt - lastTyped;
  const texts = new Set(editors.map((e) => e.doc.getText("body").toString()));
  if (texts.size !== 1) throw new Error(`${t.name}: editors did not converge`);
  const figures = {
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    convergeMs,
    cpuS: cpuSeconds(t.pid) - cpu0,
    rssMiB: rssMiB(t.pid),
  };
  for (const e of editors) e.close();
  return figures;
}

export async function docs(): Promise<BenchReport> {
  const results: { name: string; f: Figures }[] = [];
  for (const make of [ensemble, reference]) {
    const t = await make();
    try {
      results.push({ name: t.name, f: await workload(t) });
    } finally {
      await t.stop();
    }
  }
  const [ours, ref] = results as [{ name: string; f: Figures }, { name: string; f: Figures }];
  const ratio = (a: number, b: number) => `×${(a / b).toFixed(2)}`;
  const row = (label: string, pick: (f: Figures) => number, unit: string, digits = 1) => [
    label,
    `${pick(ours.f).toFixed(digits)} ${unit}`,
    `${pick(ref.f).toFixed(digits)} ${unit}`,
    ratio(pick(ours.f), pick(ref.f)),
  ];
  return {
    title: "Co-editing: one document, many editors, against @y/websocket-server",
    table: [
      ["measure", "Ensemble", "@y/websocket-server", "ratio"],
      row("propagation p50 (keystroke → each other editor)", (f) => f.p50, "ms"),
      row("propagation p99", (f) => f.p99, "ms"),
      row("last keystroke → every editor has everything", (f) => f.convergeMs, "ms", 0),
      row("server CPU during the typing", (f) => f.cpuS, "s", 2),
      row("server RSS after", (f) => f.rssMiB, "MiB"),
    ],
    notes: [
      `${EDITORS} editors on one document, each typing ${EDITS} characters at one every ${PACE_MS} ms (about 60 words a minute), starts spread over ${PACE_MS} ms; every keystroke is a Yjs transaction (a character at a random place and its timestamp), and each other editor measures when it arrives. Editors run in the bench's process (the stock Hocuspocus provider for Ensemble, y-websocket's provider for the reference), so their CPU shares the machine with the servers.`,
      "The reference keeps documents in memory only; Ensemble writes every update to its database before acknowledging it (SQLite here) and stores the state debounced: part of the difference is that durability.",
      "Not measured yet: 200 editors and 1,000 documents open at once (the issue's full load); run with BENCH_DOCS_EDITORS=200 on a quiet machine.",
    ],
  };
}
