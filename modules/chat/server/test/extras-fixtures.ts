import http from "node:http";
import type { AddressInfo } from "node:net";
import type { TestClient } from "@ensemble/testkit";
import type { ChatMessage } from "../../shared/schemas.ts";

/** Creates a channel or private group as `owner` with these members; answers its id. */
export async function createRoom(
  owner: TestClient,
  opts: { type?: "channel" | "private"; memberIds?: string[] } = {},
): Promise<string> {
  const slug = `r${Math.random().toString(36).slice(2, 10)}`;
  const r = await owner.post<{ id: string }>("/api/chat/rooms", {
    type: opts.type ?? "private",
    slug,
    memberIds: opts.memberIds ?? [],
  });
  if (r.status !== 201) throw new Error(`room creation failed: ${r.status} ${r.text}`);
  return r.body.id;
}

export async function send(c: TestClient, roomId: string, text: string, extra: Record<string, unknown> = {}) {
  return c.post<ChatMessage>(`/api/chat/rooms/${roomId}/messages`, {
    clientKey: `k${Math.random().toString(36).slice(2)}`,
    text,
    ...extra,
  });
}

export async function history(c: TestClient, roomId: string): Promise<ChatMessage[]> {
  const r = await c.get<{ items: ChatMessage[] }>(`/api/chat/rooms/${roomId}/messages?limit=100`);
  if (r.status !== 200) throw new Error(`history failed: ${r.status} ${r.text}`);
  return r.body.items;
}

export interface Receiver {
  url: string;
  port: number;
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  /** What to answer next; the default is 200 with an empty body. */
  respond: (
    req: { url: string; body: string },
    n: number,
  ) => { status?: number; body?: string | Buffer; type?: string; headers?: Record<string, string> };
  close(): Promise<void>;
}

/** A local HTTP server standing for a third-party site or integration (allow-listed in OUTBOUND_ALLOW). */
export async function startReceiver(): Promise<Receiver> {
  const rec: Receiver = {
    url: "",
    port: 0,
    requests: [],
    respond: () => ({}),
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const n = rec.requests.length;
      rec.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const out = rec.respond({ url: req.url ?? "", body }, n);
      res.statusCode = out.status ?? 200;
      if (out.type) res.setHeader("content-type", out.type);
      for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, v);
      res.end(out.body ?? "");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  rec.port = (server.address() as AddressInfo).port;
  rec.url = `http://127.0.0.1:${rec.port}`;
  return rec;
}
