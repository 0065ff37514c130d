import { readFileSync } from "node:fs";
import { ensemble, reference, type Target } from "./docs-targets.ts";
import type { BenchReport } from "./report.ts";
import { rssMiB } from "./server-process.ts";

const quick = process.argv.includes("--quick");
const EDITORS = Number(process.env.BENCH_DOCS_EDITORS ?? (quick ? 20 : 200));
/** Editors that are stock providers and measure propagation; the others are light typists (docs-targets.ts). */
const OBSERVERS = Math.min(EDITORS, Number(process.env.BENCH_DOCS_OBSERVERS ?? (quick ? 5 : 20)));
const EDITS = Number(process.env.BENCH_DOCS_EDITS ?? (quick ? 5 : 20));
/** A keystroke every 250 ms per editor: human typing speed, about 50 words a minute. */
const PACE_MS = Number(process.env.BENCH_DOCS_PACE_MS ?? 250);
const OPEN_DOCS = Number(process.env.BENCH_DOCS_OPEN ?? (quick ? 50 : 1000));
/** What each open document holds: a paragraph typed as 20 transactions of a sentence. */
const SENTENCE = "Le compte rendu de la réunion du mardi est en ligne. ";

/** Seconds of CPU (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};
const turn = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the server has used under 5% of a CPU over half a second: what it was sent is handled. */
async function quiet(pid: number): Promise<void> {
  for (;;) {
    const before = cpuSeconds(pid);
    await sleep(500);
    if (cpuSeconds(pid) - before < 0.025) return;
  }
}

interface Typing {
  p50: number;
  p99: number;
  convergeMs: number;
  cpuS: number;
  rssMiB: number;
  benchCpuS: number;
}

/**
 * EDITORS editors on one document, each typing EDITS characters at PACE_MS,
 * starts spread over one pace. Every keystroke also records when it was typed
 * (a Y.Map entry); each observer measures when every other editor's keystrokes arrive.
 */
async function typing(t: Target): Promise<Typing> {
  const [name] = await t.newDocs(1);
  const observers = Array.from({ length: OBSERVERS }, () => t.connect(name!));
  await Promise.all(observers.map((e) => e.synced));
  const typists = Array.from({ length: EDITORS - OBSERVERS }, () => t.typist(name!));
  await Promise.all(typists.map((e) => e.ready));
  const latencies: number[] = [];
  const expected = EDITORS * EDITS;
  let completeAt = 0;
  let allSeen: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allSeen = resolve));
  const complete = new Set<number>();
  observers.forEach((e, i) => {
    const stamps = e.doc.getMap<number>("typed");
    stamps.observe((ev, tr) => {
      const now = performance.now();
      if (!tr.local) for (const key of ev.keysChanged) latencies.push(now - stamps.get(key)!);
      // An observer's own last keystroke may be what completes its copy.
      if (stamps.size === expected) complete.add(i);
      if (complete.size === OBSERVERS && completeAt === 0) {
        completeAt = performance.now();
        allSeen();
      }
    });
  });
  const cpu0 = cpuSeconds(t.pid);
  const me0 = process.cpuUsage();
  let lastTyped = 0;
  await Promise.all(
    [...observers.map((e) => e.doc), ...typists.map((e) => e.doc)].map(async (doc, i) => {
      await sleep((PACE_MS * i) / EDITORS);
      const text = doc.getText("body");
      const stamps = doc.getMap<number>("typed");
      for (let n = 0; n < EDITS; n++) {
        lastTyped = performance.now();
        doc.transact(() => {
          text.insert(Math.floor(Math.random() * (text.length + 1)), "abcdefghij"[n % 10]!);
          stamps.set(`${i}:${n}`, performance.now());
        });
        await sleep(PACE_MS);
      }
    }),
  );
  await done;
  const me = process.cpuUsage(me0);
  const texts = new Set(observers.map((e) => e.doc.getText("body").toString()));
  if (texts.size !== 1) throw new Error(`${t.name}: editors did not converge`);
  const figures = {
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    convergeMs: completeAt - lastTyped,
    cpuS: cpuSeconds(t.pid) - cpu0,
    rssMiB: rssMiB(t.pid),
    benchCpuS: (me.user + me.system) / 1e6,
  };
  for (const e of [...observers, ...typists]) e.close();
  return figures;
}

interface Open {
  before: number;
  after: number;
}

/** OPEN_DOCS documents open at once, each by its own editor (socket) and holding a typed paragraph. */
async function openDocuments(t: Target): Promise<Open> {
  await quiet(t.pid);
  const before = rssMiB(t.pid);
  const names = await t.newDocs(OPEN_DOCS);
  const editors = [];
  for (let i = 0; i < names.length; i += 50) {
    const batch = names.slice(i, i + 50).map((n) => t.connect(n));
    await Promise.all(batch.map((e) => e.synced));
    for (const e of batch) {
      const text = e.doc.getText("body");
      for (let s = 0; s < 20; s++) text.insert(text.length, SENTENCE);
      await turn();
    }
    editors.push(...batch);
  }
  await quiet(t.pid);
  const after = rssMiB(t.pid);
  for (const e of editors) e.close();
  return { before, after };
}

export async function docs(): Promise<BenchReport> {
  const results: { name: string; typing: Typing; open: Open }[] = [];
  for (const make of [ensemble, reference]) {
    const t = await make();
    try {
      const typed = await typing(t);
      results.push({ name: t.name, typing: typed, open: await openDocuments(t) });
    } finally {
      await t.stop();
    }
  }
  const [ours, ref] = results as [(typeof results)[0], (typeof results)[0]];
  const row = (label: string, a: number, b: number, unit: string, digits = 1) => [
    label,
    `${a.toFixed(digits)} ${unit}`,
    `${b.toFixed(digits)} ${unit}`,
    `×${(a / b).toFixed(2)}`,
  ];
  const perDoc = (o: Open) => ((o.after - o.before) * 1024) / OPEN_DOCS;
  return {
    title: "Co-editing: one document, many editors, and many documents, against @y/websocket-server",
    table: [
      ["measure", "Ensemble", "@y/websocket-server", "ratio"],
      row("propagation p50 (keystroke → each observer)", ours.typing.p50, ref.typing.p50, "ms"),
      row("propagation p99", ours.typing.p99, ref.typing.p99, "ms"),
      row("last keystroke → every observer has everything", ours.typing.convergeMs, ref.typing.convergeMs, "ms", 0),
      row("server CPU during the typing", ours.typing.cpuS, ref.typing.cpuS, "s", 2),
      row("server RSS after the typing", ours.typing.rssMiB, ref.typing.rssMiB, "MiB"),
      row("bench process CPU during the typing (the clients)", ours.typing.benchCpuS, ref.typing.benchCpuS, "s", 2),
      row(`server RSS with ${OPEN_DOCS} documents open`, ours.open.after, ref.open.after, "MiB"),
      row("… of which the documents (RSS after − before, per document)", perDoc(ours.open), perDoc(ref.open), "KiB"),
    ],
    notes: [
      `Typing: ${EDITORS} editors on one document, each typing ${EDITS} characters at one every ${PACE_MS} ms (human speed), starts spread over ${PACE_MS} ms; every keystroke is a Yjs transaction (a character at a random place and its timestamp). ${OBSERVERS} editors are stock providers (Hocuspocus's for Ensemble, y-websocket's with its BroadcastChannel off for the reference) that measure when every other editor's keystrokes arrive; the other ${EDITORS - OBSERVERS} are light typists (a socket speaking the server's sync protocol, reading and dropping what it receives), so the server carries ${EDITORS} editors while the bench's process does not apply every update ${EDITORS} times. The clients run in the bench's process on the same machine.`,
      `Open documents: ${OPEN_DOCS} documents, each opened by its own stock provider (one socket each), which types a paragraph (20 sentences, ${20 * SENTENCE.length} characters); RSS read once the server is idle (under 5% of a CPU over 0.5 s), before and with all of them open.`,
      "Ensemble relays an update to the other editors as soon as it is applied, logs it in the next group commit of the update log (SQLite here), and acknowledges it to its sender once committed; the reference keeps documents in memory only.",
    ],
  };
}
