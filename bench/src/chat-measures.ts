import { execFileSync, fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import { fileURLToPath } from "node:url";
import type { SeededUser } from "./chat-seed.ts";

const childScript = fileURLToPath(new URL("./chat-clients.ts", import.meta.url));

export const now = () => performance.timeOrigin + performance.now();
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};
export const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : "—");
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

export interface Child {
  proc: ChildProcess;
  ask<T>(m: unknown): Promise<T>;
}

export function spawnClients(): Child {
  const proc = fork(childScript, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  let pending: ((e: Error) => void) | null = null;
  proc.on("exit", (code) => pending?.(new Error(`chat bench client process exited with ${code}`)));
  return {
    proc,
    ask: <T>(m: unknown) =>
      new Promise<T>((resolve, reject) => {
        pending = reject;
        proc.once("message", (r) => {
          pending = null;
          resolve(r as T);
        });
        proc.send(m as never);
      }),
  };
}

/**
 * Kept-alive connections, at most 128 to the server: an open-loop generator
 * with a socket per request in flight would measure the server's accept
 * queue and the client's connection set-up instead of the chat.
 */
let agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

/** After a long pause (seeding): the server has closed the idle kept-alive sockets, so a reused one would hang up. */
export function freshConnections(): void {
  agent.destroy();
  agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
}

export function api<T>(
  base: string,
  user: Pick<SeededUser, "cookie" | "csrf">,
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${url}`, {
      method,
      agent,
      headers: {
        cookie: user.cookie,
        "x-csrf-token": user.csrf,
        ...(payload === undefined
          ? {}
          : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
      },
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        try {
          resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : null) as T });
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

export interface FanOutResult {
  all: number[];
  sendMs: number[];
  /** Per message: its first delivery, and the spread from first to last (the fan-out itself). */
  firsts: number[];
  spreads: number[];
  missing: number;
  expected: number;
}

/** Posts `posts` messages one after another; each one's delivery latency to every subscriber, from send start. */
export async function fanOut(
  base: string,
  sender: SeededUser,
  roomId: string,
  children: Child[],
  perChild: number[],
  posts: number,
): Promise<FanOutResult> {
  const all: number[] = [];
  const sendMs: number[] = [];
  const firsts: number[] = [];
  const spreads: number[] = [];
  let missing = 0;
  let expected = 0;
  for (let i = 0; i < posts; i++) {
    const clientKey = `fan-${i}-${Math.random().toString(36).slice(2, 8)}`;
    const t0 = now();
    const r = await api(base, sender, "POST", `/api/chat/rooms/${roomId}/messages`, {
      clientKey,
      text: `Annonce ${i} pour tout le monde`,
    });
    if (r.status !== 201) throw new Error(`send answered ${r.status}: ${JSON.stringify(r.body)}`);
    const sent = now() - t0;
    const answers = await Promise.all(
      children.map((c, j) =>
        c.ask<{ receipts: number[] }>({ cmd: "await", key: clientKey, count: perChild[j], timeoutMs: 15_000 }),
      ),
    );
    // The first 3 warm the JIT and the connection pools.
    if (i < 3) continue;
    sendMs.push(sent);
    const lat = answers.flatMap((a) => a.receipts.map((at) => at - t0));
    all.push(...lat);
    if (lat.length) {
      firsts.push(Math.min(...lat));
      spreads.push(Math.max(...lat) - Math.min(...lat));
    }
    const got = answers.reduce((n, a) => n + a.receipts.length, 0);
    const want = perChild.reduce((n, x) => n + x, 0);
    expected += want;
    missing += want - got;
  }
  return { all, sendMs, firsts, spreads, missing, expected };
}

export interface SustainedResult {
  /** Sends per second the generator was asked for. */
  rate: number;
  offered: number;
  sendWindowS: number;
  accepted: number;
  failed: number;
  /** Failed sends by status (0: no answer). */
  failures: Record<string, number>;
  skipped: number;
  acceptedPerS: number;
  e2e: number[];
  http: number[];
  missing: number;
  /** The server process's CPU time (user + system, from /proc) per accepted message, from the first send to the last delivery. */
  cpuMsPerMessage: number;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux, asked once). */
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** A process's CPU time so far (user + system), in milliseconds, from /proc/<pid>/stat (Linux). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/**
 * Open loop: sends are started on schedule (`rate` per second, round-robin
 * over the channels, each channel's own sender) whether or not earlier ones
 * have answered, so a slow server shows up as latency rather than as a
 * politely lower rate. Each send's end-to-end time runs from its start to its
 * receipt by the channel's subscriber.
 */
export async function sustained(
  base: string,
  senders: SeededUser[][],
  roomIds: string[],
  children: Child[],
  rate: number,
  seconds: number,
  serverPid: number,
): Promise<SustainedResult> {
  for (const c of children) await c.ask({ cmd: "drain" });
  const total = rate * seconds;
  const MAX_IN_FLIGHT = 2_000;
  const started = new Map<string, number>();
  const http: number[] = [];
  const inflight = new Set<Promise<void>>();
  let accepted = 0;
  let failed = 0;
  const failures: Record<string, number> = {};
  const fail = (status: number) => {
    failed += 1;
    failures[status] = (failures[status] ?? 0) + 1;
  };
  let skipped = 0;
  let lastAccepted = 0;
  const fire = (i: number) => {
    const ch = i % roomIds.length;
    // A channel's senders take turns, so that none goes past the per-sender rate limit.
    const own = senders[ch]!;
    const sender = own[Math.floor(i / roomIds.length) % own.length]!;
    const clientKey = `sus-${rate}-${i}`;
    const t0 = now();
    started.set(clientKey, t0);
    const p = api(base, sender, "POST", `/api/chat/rooms/${roomIds[ch]!}/messages`, {
      clientKey,
      text: `Message ${i} du canal ${ch}`,
    })
      .then((r) => {
        if (r.status === 201) {
          accepted += 1;
          lastAccepted = now();
          http.push(lastAccepted - t0);
        } else fail(r.status);
      })
      .catch((e: unknown) => {
        fail(0);
        if (failed <= 3) process.stderr.write(`  [chat] send failed: ${(e as Error).message}\n`);
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
  };
  const cpuBefore = cpuMs(serverPid);
  const start = now();
  let next = 0;
  while (next < total) {
    const due = Math.min(total, Math.floor(((now() - start) / 1000) * rate));
    while (next < due) {
      if (inflight.size >= MAX_IN_FLIGHT) skipped += 1;
      else fire(next);
      next += 1;
    }
    await sleep(1);
  }
  const sendWindowS = (now() - start) / 1000;
  while (inflight.size) await Promise.all([...inflight]);
  // Deliveries still on their way: collect until every accepted send arrived, or 15 s of silence.
  const receipts = new Map<string, number>();
  let quietSince = now();
  while (receipts.size < accepted && now() - quietSince < 15_000) {
    const before = receipts.size;
    for (const c of children) {
      const { receipts: got } = await c.ask<{ receipts: [string, number][] }>({ cmd: "drain" });
      for (const [k, at] of got) if (!receipts.has(k)) receipts.set(k, at);
    }
    if (receipts.size > before) quietSince = now();
    else await sleep(50);
  }
  const cpuUsed = cpuMs(serverPid) - cpuBefore;
  const e2e: number[] = [];
  for (const [k, at] of receipts) {
    const t0 = started.get(k);
    if (t0 !== undefined) e2e.push(at - t0);
  }
  return {
    offered: next - skipped,
    sendWindowS,
    accepted,
    failed,
    failures,
    skipped,
    acceptedPerS: accepted / ((lastAccepted - start) / 1000),
    e2e,
    http,
    missing: accepted - receipts.size,
    rate,
    cpuMsPerMessage: cpuUsed / accepted,
  };
}

export interface Timed {
  times: number[];
  /** Items in the first answer (sanity: the page is not empty). */
  items: number;
}

/** Sequential GETs (after 3 warm-up ones): per-request wall time; stops early past `budgetMs`. */
export async function timeGets(
  base: string,
  user: SeededUser,
  urls: (i: number) => string,
  n: number,
  budgetMs: number,
): Promise<Timed> {
  const times: number[] = [];
  let items = -1;
  const started = now();
  for (let i = -3; i < n; i++) {
    const t0 = now();
    const r = await api<{ items: unknown[] }>(base, user, "GET", urls(Math.max(i, 0)));
    const t = now() - t0;
    if (r.status !== 200) throw new Error(`GET ${urls(i)} answered ${r.status}: ${JSON.stringify(r.body)}`);
    if (items < 0) items = r.body.items.length;
    if (i >= 0) times.push(t);
    if (i >= 4 && now() - started > budgetMs) break;
  }
  return { times, items };
}
