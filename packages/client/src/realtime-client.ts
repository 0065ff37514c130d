import {
  CloseCodes,
  REALTIME_PATH,
  REALTIME_PROTOCOL_VERSION,
  serverMessageSchema,
  shouldReconnect,
  type ClientMessage,
  type PresenceStatus,
  type ServerMessage,
  type WireEvent,
} from "@ensemble/protocol";

export interface RealtimeClientOptions {
  /** The server's base URL (`https://ensemble.example.org`) or its ws(s):// URL. */
  url: string;
  /** An app token, for bots: sent as `?access_token=` (browsers use their session cookie). */
  token?: string;
  /** Builds the socket; Node callers use it to add headers (e.g. a cookie). Defaults to the global WebSocket. */
  createSocket?: (url: string) => WebSocket;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Report `away` after this long without `activity()` (in a browser: pointer, keys, focus). Off when omitted. */
  awayAfterMs?: number;
}

export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

export interface TopicHandlers<P> {
  /** Called once per event, in sequence order, never twice for one sequence number. */
  onEvent(event: WireEvent<P>, seq: number): void;
  /** The missed events are no longer retained: refetch the resource; events continue from `seq`. */
  onResync?(seq: number): void;
  /** Refused (not allowed) or revoked: the subscription is over. */
  onRefused?(reason: "forbidden" | "revoked" | "invalid"): void;
  /**
   * The server confirmed the first subscription (called once). Anything read
   * over HTTP before this moment may have missed events published in between:
   * refetch it (later reconnects resume from the last sequence, no refetch needed).
   */
  onReady?(seq: number): void;
}

export interface TopicSubscription {
  readonly topic: string;
  /** The last sequence number received on this topic (resume point). */
  readonly lastSeq: number | undefined;
  /** Resolves with the topic's sequence number once the server confirmed (after any catch-up). */
  readonly ready: Promise<number>;
  unsubscribe(): void;
}

interface TopicState {
  topic: string;
  lastSeq: number | undefined;
  handlers: TopicHandlers<unknown>;
  ready: Promise<number>;
  resolveReady: (seq: number) => void;
  rejectReady: (e: Error) => void;
  confirmed: boolean;
}

interface ClientEvents {
  open: { connectionId: string; userId: string };
  close: { code: number; reason: string; willReconnect: boolean };
  presence: { userId: string; status: PresenceStatus };
  typing: { topic: string; userId: string };
  error: { code: string; message: string };
}

/**
 * One WebSocket to Ensemble's gateway, shared by every subscription of a tab,
 * bot or test. It reconnects with exponential backoff and jitter and resumes
 * each topic from its last sequence number, so the application sees every
 * event exactly once and in order.
 */
export class RealtimeClient {
  private readonly opts: Required<Pick<RealtimeClientOptions, "minBackoffMs" | "maxBackoffMs">> & RealtimeClientOptions;
  private readonly topics = new Map<string, TopicState>();
  private readonly listeners = new Map<keyof ClientEvents, Set<(e: unknown) => void>>();
  private socket: WebSocket | null = null;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private lastHeard = 0;
  private presenceStatus: "online" | "away" | "dnd" = "online";
  private autoAway = false;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly onActivity = () => this.activity();
  state: ConnectionState = "connecting";
  connectionId: string | null = null;
  userId: string | null = null;

  constructor(opts: RealtimeClientOptions) {
    this.opts = { minBackoffMs: 250, maxBackoffMs: 30_000, ...opts };
    if (opts.awayAfterMs !== undefined && typeof document !== "undefined") {
      for (const e of ["pointerdown", "keydown", "focus"])
        window.addEventListener(e, this.onActivity, { passive: true });
    }
    this.activity();
    this.open();
  }

  on<K extends keyof ClientEvents>(name: K, fn: (e: ClientEvents[K]) => void): () => void {
    const set = this.listeners.get(name) ?? new Set<(e: unknown) => void>();
    this.listeners.set(name, set);
    const f = fn as (e: unknown) => void;
    set.add(f);
    return () => set.delete(f);
  }

  /** Resolves when the connection is open (hello received). */
  opened(): Promise<void> {
    if (this.state === "open") return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.on("open", () => {
        off();
        resolve();
      });
    });
  }

  subscribe<P = unknown>(topic: string, handlers: TopicHandlers<P>, opts: { since?: number } = {}): TopicSubscription {
    if (this.topics.has(topic)) throw new Error(`already subscribed to ${topic}`);
    let resolveReady!: (seq: number) => void;
    let rejectReady!: (e: Error) => void;
    const ready = new Promise<number>((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    ready.catch(() => {});
    const st: TopicState = {
      topic,
      lastSeq: opts.since,
      handlers: handlers as TopicHandlers<unknown>,
      ready,
      resolveReady,
      rejectReady,
      confirmed: false,
    };
    this.topics.set(topic, st);
    this.sendSubscribe(st);
    return {
      topic,
      get lastSeq() {
        return st.lastSeq;
      },
      ready,
      unsubscribe: () => {
        if (this.topics.get(topic) !== st) return;
        this.topics.delete(topic);
        this.send({ type: "unsubscribe", topic });
      },
    };
  }

  /** The person did something: back to online if we had set them away, and restart the idle clock. */
  activity(): void {
    const ms = this.opts.awayAfterMs;
    if (ms === undefined) return;
    if (this.autoAway) {
      this.autoAway = false;
      this.setPresence("online");
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.presenceStatus !== "online") return;
      this.setPresence("away");
      this.autoAway = true;
    }, ms);
  }

  setPresence(status: "online" | "away" | "dnd"): void {
    this.autoAway = false;
    this.presenceStatus = status;
    this.send({ type: "presence", status });
  }

  typing(topic: string): void {
    this.send({ type: "typing", topic });
  }

  /**
   * Opens again after a close that does not retry by itself — e.g. 4004 once
   * the user has enrolled in two-factor — resubscribing every topic from its
   * last seq. Does nothing while a socket is open or reconnecting.
   */
  reconnect(): void {
    if (this.socket || this.state !== "closed") return;
    this.clearTimers();
    this.attempts = 0;
    this.state = "connecting";
    this.open();
  }

  close(): void {
    this.state = "closed";
    this.clearTimers();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (typeof document !== "undefined")
      for (const e of ["pointerdown", "keydown", "focus"]) window.removeEventListener(e, this.onActivity);
    this.socket?.close(CloseCodes.normal.code, CloseCodes.normal.reason);
    this.socket = null;
  }

  private emit<K extends keyof ClientEvents>(name: K, e: ClientEvents[K]): void {
    for (const fn of [...(this.listeners.get(name) ?? [])]) fn(e);
  }

  private socketUrl(): string {
    const u = new URL(REALTIME_PATH, this.opts.url.replace(/^http/, "ws"));
    u.searchParams.set("v", String(REALTIME_PROTOCOL_VERSION));
    if (this.opts.token) u.searchParams.set("access_token", this.opts.token);
    return u.toString();
  }

  private open(): void {
    const url = this.socketUrl();
    const ws = this.opts.createSocket ? this.opts.createSocket(url) : new WebSocket(url);
    this.socket = ws;
    ws.addEventListener("message", (ev: MessageEvent) => {
      if (this.socket !== ws || typeof ev.data !== "string") return;
      this.lastHeard = Date.now();
      let msg: ServerMessage;
      try {
        msg = serverMessageSchema.parse(JSON.parse(ev.data));
      } catch {
        return;
      }
      this.onMessage(msg);
    });
    ws.addEventListener("close", (ev: CloseEvent) => this.closed(ws, ev.code, ev.reason));
  }

  private closed(ws: WebSocket, code: number, reason: string): void {
    if (this.socket !== ws) return;
    this.socket = null;
    this.clearTimers();
    const retry = this.state !== "closed" && shouldReconnect(code);
    this.emit("close", { code, reason, willReconnect: retry });
    if (!retry) {
      this.state = "closed";
      for (const t of this.topics.values()) t.rejectReady(new Error(`connection closed: ${code} ${reason}`));
      return;
    }
    this.state = "reconnecting";
    const base =
      code === CloseCodes.goingAway.code ? this.opts.minBackoffMs : this.opts.minBackoffMs * 2 ** this.attempts;
    const delay = Math.min(this.opts.maxBackoffMs, base) * (0.5 + Math.random() / 2);
    this.attempts += 1;
    this.timer = setTimeout(() => this.open(), delay);
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.timer = null;
    this.heartbeat = null;
  }

  private send(msg: ClientMessage): void {
    if (this.state !== "open" || !this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify(msg));
  }

  private sendSubscribe(st: TopicState): void {
    this.send({ type: "subscribe", topic: st.topic, ...(st.lastSeq !== undefined ? { since: st.lastSeq } : {}) });
  }

  private onMessage(msg: ServerMessage): void {
    switch (msg.type) {
      case "hello": {
        this.state = "open";
        this.attempts = 0;
        this.connectionId = msg.connectionId;
        this.userId = msg.userId;
        this.startHeartbeat(msg.heartbeatMs);
        if (this.presenceStatus !== "online") this.send({ type: "presence", status: this.presenceStatus });
        for (const t of this.topics.values()) this.sendSubscribe(t);
        this.emit("open", { connectionId: msg.connectionId, userId: msg.userId });
        return;
      }
      case "event": {
        const t = this.topics.get(msg.topic);
        if (!t) return;
        if (t.lastSeq !== undefined && msg.seq <= t.lastSeq) return;
        if (t.lastSeq !== undefined && msg.seq > t.lastSeq + 1) {
          // A hole should never reach us; ask again from what we have rather than skip.
          this.sendSubscribe(t);
          return;
        }
        t.lastSeq = msg.seq;
        t.handlers.onEvent(msg.event, msg.seq);
        return;
      }
      case "subscribed": {
        const t = this.topics.get(msg.topic);
        if (!t) return;
        if (t.lastSeq === undefined || msg.seq > t.lastSeq) t.lastSeq = msg.seq;
        t.resolveReady(msg.seq);
        if (!t.confirmed) {
          t.confirmed = true;
          t.handlers.onReady?.(msg.seq);
        }
        return;
      }
      case "resync-required": {
        const t = this.topics.get(msg.topic);
        if (!t) return;
        t.lastSeq = msg.seq;
        t.handlers.onResync?.(msg.seq);
        t.resolveReady(msg.seq);
        t.confirmed = true;
        return;
      }
      case "refused": {
        const t = this.topics.get(msg.topic);
        if (!t) return;
        this.topics.delete(msg.topic);
        t.rejectReady(new Error(`subscription to ${msg.topic} refused: ${msg.reason}`));
        t.handlers.onRefused?.(msg.reason);
        return;
      }
      case "presence":
        return this.emit("presence", { userId: msg.userId, status: msg.status });
      case "typing":
        return this.emit("typing", { topic: msg.topic, userId: msg.userId });
      case "error":
        return this.emit("error", { code: msg.code, message: msg.message });
      case "pong":
        return;
    }
  }

  /** The server pings at the protocol level; this detects a server that vanished without closing. */
  private startHeartbeat(ms: number): void {
    this.lastHeard = Date.now();
    this.heartbeat = setInterval(() => {
      const ws = this.socket;
      if (ws && Date.now() - this.lastHeard > ms * 2) {
        // A dead peer never completes the closing handshake: give up on it now.
        ws.close(CloseCodes.heartbeatTimeout.code, CloseCodes.heartbeatTimeout.reason);
        this.closed(ws, CloseCodes.heartbeatTimeout.code, CloseCodes.heartbeatTimeout.reason);
        return;
      }
      this.send({ type: "ping" });
    }, ms);
  }
}
