import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import * as Y from "yjs";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { WebsocketProvider } from "y-websocket";
import { dropSchema, newSchemaName, testDatabaseUrl } from "@ensemble/testkit";
import { createAdmin, freePort, startServerProcess } from "./server-process.ts";

/** A stock provider: its document, when it first synced, and when the server confirmed all its changes (if it says). */
export interface Editor {
  doc: Y.Doc;
  synced: Promise<void>;
  close(): void;
}

/**
 * A light editor: a WebSocket speaking the server's sync protocol with a
 * Y.Doc of its own changes only. It sends what it types and reads and drops
 * what it receives, so 200 of them load the server like 200 editors without
 * the bench's process applying every update 200 times.
 */
export interface Typist {
  doc: Y.Doc;
  ready: Promise<void>;
  close(): void;
}

/** A server under test: where it runs and how clients reach its documents. */
export interface Target {
  name: string;
  pid: number;
  /** Names of `n` new documents. */
  newDocs(n: number): Promise<string[]>;
  connect(doc: string): Editor;
  typist(doc: string): Typist;
  stop(): Promise<void>;
}

/** lib0's encodings, which both protocols use: variable-length unsigned integers, strings and byte arrays. */
function varUint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const varBytes = (b: Uint8Array) => [...varUint(b.length), ...b];
const varString = (s: string) => varBytes(new TextEncoder().encode(s));

/** y-protocols' sync step 1 (0) and update (2), inside a sync message (0). */
const SYNC = 0;
const STEP1 = 0;
const UPDATE = 2;

/** A light typist over `socket`: `prefix` goes before each sync message (Hocuspocus's document address). */
function lightTypist(socket: WebSocket, prefix: number[], opened: Promise<void>): Typist {
  const doc = new Y.Doc();
  const send = (body: number[]) => socket.send(Uint8Array.from([...prefix, ...body]));
  doc.on("update", (u: Uint8Array) => send([SYNC, UPDATE, ...varBytes(u)]));
  // The server's first answer (Hocuspocus: « authenticated »; the reference: its sync step 1) says it listens.
  const answered = new Promise<void>((resolve) => socket.once("message", () => resolve()));
  socket.on("message", () => undefined);
  const ready = opened.then(async () => {
    send([SYNC, STEP1, ...varBytes(Y.encodeStateVector(doc))]);
    await answered;
  });
  return { doc, ready, close: () => socket.close() };
}

const opened = (s: WebSocket) => new Promise<void>((resolve) => s.once("open", () => resolve()));

/** Ensemble: `ensemble serve` as `npm start` runs it; editors carry the administrator's session cookie. */
export async function ensemble(): Promise<Target> {
  // BENCH_DOCS_DB=postgres: PostgreSQL 127.0.0.1:5432 db `test` in a fresh schema, dropped afterwards.
  const schema = process.env.BENCH_DOCS_DB === "postgres" ? newSchemaName() : undefined;
  const server = await startServerProcess({
    timeoutMs: 180_000,
    ...(schema ? { env: { DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema } } : {}),
  });
  const admin = await createAdmin(server);
  const csrf = /ensemble_csrf=([^;]+)/.exec(admin.cookie)?.[1] ?? "";
  const headers = { cookie: admin.cookie, "x-csrf-token": csrf };
  const spaces = (await (await fetch(`${server.url}/api/files/spaces`, { headers })).json()) as {
    spaces: { rootId: string }[];
  };
  const root = spaces.spaces[0]!.rootId;
  let created = 0;
  const newDoc = async () => {
    const put = await fetch(`${server.url}/api/files/nodes/${root}/files?name=bench-${++created}.ensdoc`, {
      method: "PUT",
      headers: { ...headers, "content-type": "application/vnd.ensemble.document+json" },
      body: '{"type":"ensemble-document","version":1}\n',
    });
    if (put.status !== 200) throw new Error(`document not created: ${put.status} ${await put.text()}`);
    return ((await put.json()) as { id: string }).id;
  };
  const wsUrl = `${server.url.replace(/^http/, "ws")}/collab`;
  class CookieSocket extends WebSocket {
    constructor(url: string) {
      super(url, { headers: { cookie: admin.cookie } });
    }
  }
  return {
    name: `Ensemble (/collab, Hocuspocus 4.7, ${schema ? "PostgreSQL" : "SQLite"})`,
    pid: server.pid,
    newDocs: async (n) => {
      const ids: string[] = [];
      // A few at a time, as people would create them.
      for (let i = 0; i < n; i += 8)
        ids.push(...(await Promise.all(Array.from({ length: Math.min(8, n - i) }, newDoc))));
      return ids;
    },
    connect: (name) => {
      const doc = new Y.Doc();
      const websocketProvider = new HocuspocusProviderWebsocket({ url: wsUrl, WebSocketPolyfill: CookieSocket });
      const provider = new HocuspocusProvider({ websocketProvider, name, document: doc });
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
    typist: (name) => {
      const socket = new CookieSocket(wsUrl);
      const address = varString(name);
      // Hocuspocus's authentication message (type 2, token 0) with an empty token: the session cookie authenticates.
      const authenticated = opened(socket).then(() =>
        socket.send(Uint8Array.from([...address, 2, 0, ...varString("")])),
      );
      return lightTypist(socket, address, authenticated);
    },
    stop: async () => {
      await server.stop();
      if (schema) await dropSchema(schema);
    },
  };
}

/**
 * The reference Yjs backend, `@y/websocket-server` (in memory, no persistence), with y-websocket's provider.
 * 0.1.1, not 0.1.5: 0.1.5 needs `@y/y@*`, which only has pre-releases, so npm cannot install it.
 */
export async function reference(): Promise<Target> {
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
  let created = 0;
  return {
    name: "@y/websocket-server 0.1.1 (in memory)",
    pid: child.pid!,
    newDocs: async (n) => Array.from({ length: n }, () => `bench-${++created}`),
    connect: (room) => {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(`ws://127.0.0.1:${port}`, room, doc, {
        WebSocketPolyfill: WebSocket as never,
        // Otherwise the providers of one process exchange updates through a BroadcastChannel, not the server.
        disableBc: true,
      });
      const synced = new Promise<void>((resolve) => provider.once("sync", () => resolve()));
      return { doc, synced, close: () => provider.destroy() };
    },
    typist: (room) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/${room}`);
      return lightTypist(socket, [], opened(socket));
    },
    stop: async () => {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
