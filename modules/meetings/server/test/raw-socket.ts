import { waitFor, type TestClient } from "@ensemble/testkit";

export interface Frame {
  type: string;
  topic?: string;
  ref?: string;
  ok?: boolean;
  code?: string;
  reason?: string;
  body?: Record<string, unknown>;
  event?: { name: string; payload: Record<string, unknown> };
}

/**
 * A bare WebSocket on /ws, as a hostile client would drive it: it sends
 * whatever it is told and records every frame the server sends back.
 */
export class RawSocket {
  readonly frames: Frame[] = [];
  private readonly ws: WebSocket;
  private refs = 0;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.addEventListener("message", (e) => this.frames.push(JSON.parse(String(e.data)) as Frame));
    ws.addEventListener("close", (e) => (this.closeCode = e.code));
  }

  /** As a signed-in client (its cookie) or a visitor, once the server said hello. */
  static async open(baseUrl: string, as: { client?: TestClient; visitorPass?: string }): Promise<RawSocket> {
    const s = RawSocket.connect(baseUrl, as);
    await waitFor(() => s.frames.some((f) => f.type === "hello"), "hello");
    return s;
  }

  /** As a signed-in client (its cookie) or a visitor (`?visitor_pass=`). */
  static connect(baseUrl: string, as: { client?: TestClient; visitorPass?: string }): RawSocket {
    const url = new URL("/ws?v=1", baseUrl.replace(/^http/, "ws"));
    if (as.visitorPass) url.searchParams.set("visitor_pass", as.visitorPass);
    const cookie = as.client ? [...as.client.cookies].map(([k, v]) => `${k}=${v}`).join("; ") : "";
    // Node's WebSocket (undici) takes headers in its second argument.
    const ws = new WebSocket(url, { headers: cookie ? { cookie } : {} } as unknown as string[]);
    return new RawSocket(ws);
  }

  async subscribe(topic: string, since?: number): Promise<Frame> {
    this.ws.send(JSON.stringify({ type: "subscribe", topic, ...(since === undefined ? {} : { since }) }));
    let found: Frame | undefined;
    await waitFor(() => {
      found = this.frames.find(
        (f) => f.topic === topic && ["subscribed", "refused", "resync-required"].includes(f.type),
      );
      return !!found;
    }, `an answer to subscribe ${topic}`);
    this.frames.splice(this.frames.indexOf(found!), 1);
    return found!;
  }

  /** Sends one module message and returns the server's reply to it. */
  async send(topic: string, body: Record<string, unknown>): Promise<Frame> {
    const ref = `r${++this.refs}`;
    this.ws.send(JSON.stringify({ type: "send", topic, ref, body }));
    let found: Frame | undefined;
    await waitFor(
      () => {
        found = this.frames.find((f) => f.type === "reply" && f.ref === ref);
        return !!found;
      },
      `a reply to ${String(body.op)}`,
    );
    return found!;
  }

  /** Waits for a frame matching `pred`. */
  async next(pred: (f: Frame) => boolean, what: string): Promise<Frame> {
    let found: Frame | undefined;
    await waitFor(() => {
      found = this.frames.find(pred);
      return !!found;
    }, what);
    return found!;
  }

  /** Waits for a frame matching `pred` and takes it out of the record. */
  async take(pred: (f: Frame) => boolean, what: string): Promise<Frame> {
    const f = await this.next(pred, what);
    this.frames.splice(this.frames.indexOf(f), 1);
    return f;
  }

  events(name: string): Frame[] {
    return this.frames.filter((f) => f.type === "event" && f.event?.name === name);
  }

  /** Resolves with the close code once the server closes the socket. */
  closed(): Promise<number> {
    if (this.ws.readyState === this.ws.CLOSED) return Promise.resolve(this.closeCode);
    return new Promise((resolve) => this.ws.addEventListener("close", (e) => resolve(e.code)));
  }
  private closeCode = 0;

  close(): void {
    this.ws.close();
  }
}
