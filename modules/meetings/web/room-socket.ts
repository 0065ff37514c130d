import type { ServerMessage } from "@ensemble/protocol";

/** A reply to one `send`: the module's answer, or a refusal with its problem code. */
export interface Reply {
  ok: boolean;
  code?: string;
  body?: Record<string, unknown>;
}

export interface TopicListener {
  onEvent?(name: string, payload: Record<string, unknown>): void;
  /** A message the server pushed to this connection on the topic (the SFU's notices). */
  onMessage?(body: Record<string, unknown>): void;
  onRefused?(reason: string): void;
}

/**
 * The meeting's own socket on /ws. Members and people without an account
 * (a visitor pass) go through the same page, which the shell's connection
 * cannot serve (it needs an account and carries no replies), so the meeting
 * holds one socket for its lifetime: subscriptions, `send` with replies, and
 * the messages the server pushes to it.
 */
export class RoomSocket {
  private readonly ws: WebSocket;
  private readonly listeners = new Map<string, TopicListener>();
  private readonly pending = new Map<string, (r: Reply) => void>();
  private readonly subscribing = new Map<string, (ok: boolean) => void>();
  private refs = 0;
  private readonly hello: Promise<void>;
  onClose: (() => void) | null = null;

  constructor(visitorPass: string | null) {
    const url = new URL("/ws?v=1", location.href.replace(/^http/, "ws"));
    if (visitorPass) url.searchParams.set("visitor_pass", visitorPass);
    this.ws = new WebSocket(url);
    this.hello = new Promise((resolve, reject) => {
      this.ws.addEventListener("close", () => reject(new Error("closed")), { once: true });
      this.ws.addEventListener("message", (e) => {
        const f = JSON.parse(String(e.data)) as ServerMessage;
        if (f.type === "hello") resolve();
        this.frame(f);
      });
    });
    this.hello.catch(() => undefined);
    this.ws.addEventListener("close", () => {
      for (const r of this.pending.values()) r({ ok: false, code: "unavailable" });
      this.pending.clear();
      this.onClose?.();
    });
  }

  /** Subscribes to a topic; resolves whether the server accepted. */
  async subscribe(topic: string, listener: TopicListener): Promise<boolean> {
    await this.hello;
    this.listeners.set(topic, listener);
    const accepted = new Promise<boolean>((resolve) => this.subscribing.set(topic, resolve));
    this.ws.send(JSON.stringify({ type: "subscribe", topic }));
    return accepted;
  }

  async send(topic: string, body: Record<string, unknown>): Promise<Reply> {
    await this.hello;
    const ref = `m${++this.refs}`;
    const reply = new Promise<Reply>((resolve) => this.pending.set(ref, resolve));
    this.ws.send(JSON.stringify({ type: "send", topic, ref, body }));
    return reply;
  }

  close(): void {
    this.onClose = null;
    this.ws.close();
  }

  private frame(f: ServerMessage): void {
    switch (f.type) {
      case "reply": {
        const resolve = this.pending.get(f.ref ?? "");
        this.pending.delete(f.ref ?? "");
        resolve?.({ ok: f.ok, code: f.code, body: f.body });
        return;
      }
      case "subscribed":
      case "resync-required":
      case "refused": {
        this.subscribing.get(f.topic)?.(f.type !== "refused");
        this.subscribing.delete(f.topic);
        if (f.type === "refused") {
          this.listeners.get(f.topic)?.onRefused?.(f.reason);
          this.listeners.delete(f.topic);
        }
        return;
      }
      case "event":
        this.listeners.get(f.topic)?.onEvent?.(f.event.name, f.event.payload as Record<string, unknown>);
        return;
      case "message":
        this.listeners.get(f.topic)?.onMessage?.(f.body);
        return;
    }
  }
}
