import WebSocket from "ws";

/**
 * A bench child process holding many WebSocket clients (a second process
 * keeps the load generator's own event loop from being the bottleneck).
 * Driven by IPC from bench/src/realtime.ts.
 *
 *   connect   { urls, count, cookie, concurrency } → { connected, failed, ms }
 *   subscribe { topic, count }                    → { subscribed }
 *   await     { key, timeoutMs }                  → { latencies }   (ms from the event's createdAt to receipt)
 *   drop-idle                                      → { kept }        (closes every client that is not a subscriber)
 *   close                                          → exits
 */
type Cmd =
  | { cmd: "connect"; urls: string[]; count: number; cookie: string; concurrency: number }
  | { cmd: "subscribe"; topic: string; count: number }
  | { cmd: "await"; key: string; timeoutMs: number }
  | { cmd: "drop-idle" }
  | { cmd: "close" };

const sockets: WebSocket[] = [];
let subscribers = 0;
const receipts = new Map<string, number[]>();
const waiting = new Map<string, () => void>();
let subscribedCount = 0;
let onSubscribed: (() => void) | null = null;

const reply = (m: unknown) => process.send!(m);

function open(url: string, cookie: string): Promise<WebSocket | null> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { cookie }, perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      resolve(null);
    }, 30_000);
    ws.on("message", (data: Buffer) => {
      const m = JSON.parse(data.toString("utf8")) as {
        type: string;
        event?: { createdAt: string; payload: { user?: { statusMessage?: string } } };
      };
      if (m.type === "hello") {
        clearTimeout(timer);
        resolve(ws);
      } else if (m.type === "subscribed") {
        subscribedCount += 1;
        if (subscribedCount >= subscribers) onSubscribed?.();
      } else if (m.type === "event" && m.event) {
        const at = performance.timeOrigin + performance.now();
        const key = m.event.payload.user?.statusMessage ?? "";
        const list = receipts.get(key) ?? [];
        list.push(at - Date.parse(m.event.createdAt));
        receipts.set(key, list);
        if (list.length >= subscribers) waiting.get(key)?.();
      }
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
      const started = performance.now();
      let failed = 0;
      let next = 0;
      const worker = async () => {
        while (next < raw.count) {
          const i = next++;
          const ws = await open(raw.urls[i % raw.urls.length]!, raw.cookie);
          if (ws) sockets.push(ws);
          else failed += 1;
        }
      };
      await Promise.all(Array.from({ length: raw.concurrency }, worker));
      reply({ connected: sockets.length, failed, ms: performance.now() - started });
    } else if (raw.cmd === "subscribe") {
      subscribers = Math.min(raw.count, sockets.length);
      subscribedCount = 0;
      const done = new Promise<void>((r) => (onSubscribed = r));
      for (const ws of sockets.slice(0, subscribers)) ws.send(JSON.stringify({ type: "subscribe", topic: raw.topic }));
      await done;
      reply({ subscribed: subscribers });
    } else if (raw.cmd === "await") {
      if ((receipts.get(raw.key)?.length ?? 0) < subscribers) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, raw.timeoutMs);
          waiting.set(raw.key, () => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      waiting.delete(raw.key);
      reply({ latencies: receipts.get(raw.key) ?? [] });
    } else if (raw.cmd === "drop-idle") {
      for (const ws of sockets.splice(subscribers)) ws.close();
      reply({ kept: sockets.length });
    } else {
      for (const ws of sockets) ws.terminate();
      process.exit(0);
    }
  })();
});
