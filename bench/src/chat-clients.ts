import WebSocket from "ws";

/**
 * A bench child process holding chat members' WebSockets, one per user
 * (each with that user's session cookie), driven by IPC from bench/src/chat.ts.
 * It records when each `chat.message.created` arrives, keyed by the
 * message's client key, on the wall clock shared with the sender
 * (`performance.timeOrigin + performance.now()`).
 *
 *   connect   { url, cookies, concurrency } → { connected, failed }
 *   subscribe { subs: [index, topic][] }    → { subscribed, refused }
 *   await     { key, count, timeoutMs }     → { receipts }   (receipt times of that key, once `count` arrived or on timeout)
 *   drain                                    → { receipts: [key, at][] } (everything since the last drain)
 *   close                                    → exits
 */
type Cmd =
  | { cmd: "connect"; url: string; cookies: string[]; concurrency: number }
  | { cmd: "subscribe"; subs: [number, string][] }
  | { cmd: "await"; key: string; count: number; timeoutMs: number }
  | { cmd: "drain" }
  | { cmd: "close" };

interface EventFrame {
  type: string;
  topic?: string;
  event?: { name: string; payload: { message?: { clientKey: string | null } } };
}

const sockets: (WebSocket | null)[] = [];
const byKey = new Map<string, number[]>();
let log: [string, number][] = [];
let waiting: { key: string; count: number; done: () => void } | null = null;
let pendingSubs = 0;
let refused = 0;
let onSubsDone: (() => void) | null = null;

const reply = (m: unknown) => process.send!(m);
const now = () => performance.timeOrigin + performance.now();

function onFrame(data: Buffer): void {
  const m = JSON.parse(data.toString("utf8")) as EventFrame;
  if (m.type === "event") {
    const key = m.event?.name === "chat.message.created" ? m.event.payload.message?.clientKey : null;
    if (!key) return;
    const at = now();
    log.push([key, at]);
    const list = byKey.get(key) ?? [];
    list.push(at);
    byKey.set(key, list);
    if (waiting?.key === key && list.length >= waiting.count) waiting.done();
  } else if (m.type === "subscribed" || m.type === "refused" || m.type === "resync-required") {
    if (m.type === "refused") refused += 1;
    pendingSubs -= 1;
    if (pendingSubs <= 0) onSubsDone?.();
  }
}

function open(url: string, cookie: string): Promise<WebSocket | null> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { cookie }, perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      resolve(null);
    }, 30_000);
    let hello = false;
    ws.on("message", (data: Buffer) => {
      if (!hello) {
        hello = true;
        clearTimeout(timer);
        resolve(ws);
        return;
      }
      onFrame(data);
    });
    ws.on("error", () => {
      clearTimeout(timer);
      resolve(null);
    });
  });
}

process.on("message", (raw: Cmd) => {
  void (async () => {
    if (raw.cmd === "connect") {
      let next = 0;
      let failed = 0;
      const worker = async () => {
        while (next < raw.cookies.length) {
          const i = next++;
          const ws = await open(raw.url, raw.cookies[i]!);
          sockets[i] = ws;
          if (!ws) failed += 1;
        }
      };
      await Promise.all(Array.from({ length: raw.concurrency }, worker));
      reply({ connected: raw.cookies.length - failed, failed });
    } else if (raw.cmd === "subscribe") {
      refused = 0;
      const targets = raw.subs.filter(([i]) => sockets[i]);
      pendingSubs = targets.length;
      const done = new Promise<void>((r) => (onSubsDone = r));
      for (const [i, topic] of targets) sockets[i]!.send(JSON.stringify({ type: "subscribe", topic }));
      if (targets.length) await done;
      reply({ subscribed: targets.length - refused, refused });
    } else if (raw.cmd === "await") {
      if ((byKey.get(raw.key)?.length ?? 0) < raw.count) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, raw.timeoutMs);
          waiting = {
            key: raw.key,
            count: raw.count,
            done: () => {
              clearTimeout(t);
              resolve();
            },
          };
        });
      }
      waiting = null;
      reply({ receipts: byKey.get(raw.key) ?? [] });
      byKey.delete(raw.key);
    } else if (raw.cmd === "drain") {
      reply({ receipts: log });
      log = [];
      byKey.clear();
    } else {
      for (const ws of sockets) ws?.terminate();
      process.exit(0);
    }
  })();
});
