import type { WebSocket } from "ws";
import type { Logger } from "pino";
import {
  CloseCodes,
  clientMessageSchema,
  REALTIME_PROTOCOL_VERSION,
  uuidv7,
  type ClientMessage,
  type PresenceStatus,
  type ServerMessage,
  type WireEvent,
} from "@ensemble/protocol";
import type { Config } from "../config.ts";
import { hasScope, type UserActor } from "../authz/actor.ts";
import { AppError } from "../errors.ts";
import type { VisitorActor } from "./visitor-pass.ts";
import type { ClusterBus, ClusterMessage, TopicMatch } from "./cluster-bus.ts";
import { topicMatches } from "./cluster-bus.ts";
import type { PresenceStore } from "./presence-store.ts";
import type { CredentialState } from "./credential-check.ts";
import { contiguous, type TopicLog } from "./topic-log.ts";
import { wsConnections } from "../metrics.ts";
import {
  indexConnection,
  takeToken,
  type Connection,
  type DeviceStatus,
  type RealtimeActor,
  type Subscription,
} from "./connection.ts";

export type { RealtimeActor } from "./connection.ts";

/** One `send` from a client to the module owning the topic. */
export interface TopicMessage {
  actor: RealtimeActor;
  /** The sending socket: `k.realtime.sendTo(connectionId, …)` pushes to it later, from any node. */
  connectionId: string;
  topic: string;
  body: Record<string, unknown>;
}
import { wsServerCloses } from "./realtime-metrics.ts";

/** A module's claim on a family of topics and who may subscribe to them. */
export interface TopicDefinition {
  /** `room:` owns `room:<id>`. The longest matching prefix wins. */
  prefix: string;
  /** Ephemeral topics (presence) carry no sequence numbers and no log. */
  ephemeral?: boolean;
  /** Decides through the policy layer; also asked again after a `revoke`. */
  authorizeTopic(actor: UserActor, topic: string): Promise<boolean>;
  /**
   * The earliest moment whose events this actor may be replayed (a room's
   * member: since joining), or null for the whole retained log. A catch-up
   * that would reach further back answers `resync-required`: the client
   * refetches what it may read, and older payloads never reach it.
   */
  catchUpFrom?(actor: UserActor, topic: string): Promise<string | null>;
  /** Whether a visitor (visitor pass, no account) may subscribe. Without it, visitors never may. */
  authorizeVisitor?(visitor: VisitorActor, topic: string): Promise<boolean>;
  /**
   * Handles a client's `send` on one of these topics and returns the reply's
   * body; an AppError thrown here is the refusal (`reply ok:false code`).
   * Without it, every `send` on these topics is refused.
   */
  onMessage?(message: TopicMessage): Promise<Record<string, unknown> | void>;
  /** A connection that sent to a topic of this family closed (release what it held: media, …). */
  onDisconnect?(connectionId: string, actor: RealtimeActor): Promise<void>;
}

const MAX_SUBSCRIPTIONS = 2_000;
/** Catching up more than this many events is slower than refetching. */
const MAX_CATCH_UP = 5_000;

/**
 * The /ws gateway of one node. Events arrive through the cluster bus (from
 * whichever node dispatched them) and are sent to this node's subscribers in
 * per-topic sequence order, filling any gap from the retained log.
 */
export class RealtimeGateway {
  private readonly conns = new Map<string, Connection>();
  private readonly byTopic = new Map<string, Set<Connection>>();
  private readonly byUser = new Map<string, Set<Connection>>();
  private readonly topics: TopicDefinition[] = [];
  private readonly config: Config;
  private readonly log: Logger;
  private readonly bus: ClusterBus;
  private readonly presence: PresenceStore;
  private readonly topicLog: TopicLog;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Actor reloads run one after another, so an older database read never overwrites a newer one. */
  private reloads: Promise<void> = Promise.resolve();
  private closing = false;

  private readonly credentialState: (actors: UserActor[]) => Promise<CredentialState>;

  constructor(opts: {
    config: Config;
    log: Logger;
    bus: ClusterBus;
    presence: PresenceStore;
    topicLog: TopicLog;
    /** Which of these actors' sessions or tokens no longer authenticate, and their owners' current roles. */
    credentialState: (actors: UserActor[]) => Promise<CredentialState>;
  }) {
    this.credentialState = opts.credentialState;
    this.config = opts.config;
    this.log = opts.log.child({ component: "realtime" });
    this.bus = opts.bus;
    this.presence = opts.presence;
    this.topicLog = opts.topicLog;
    this.bus.subscribe((m) => this.onClusterMessage(m));
  }

  defineTopics(def: TopicDefinition): void {
    if (this.topics.some((t) => t.prefix === def.prefix))
      throw new Error(`topic prefix ${def.prefix} is defined twice`);
    this.topics.push(def);
    this.topics.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  start(): void {
    this.heartbeat = setInterval(() => void this.beat(), this.config.WS_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Asks every client to reconnect (to another node) and stops accepting. */
  async shutdown(): Promise<void> {
    this.closing = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    const closed = [...this.conns.values()].map(
      (c) =>
        new Promise<void>((resolve) => {
          c.socket.once("close", () => resolve());
          this.closeWith(c.socket, CloseCodes.goingAway);
          setTimeout(() => {
            c.socket.terminate();
            resolve();
          }, 2_000).unref();
        }),
    );
    await Promise.all(closed);
  }

  /** Publishes one committed event to every node's subscribers of its topics. */
  async publish(topic: string, seq: number, event: WireEvent): Promise<void> {
    await this.bus.publish({ kind: "event", topic, seq, event });
  }

  /** Drops a user's subscriptions matching `match`, on every node (access revoked). */
  async revoke(userId: string, match: TopicMatch): Promise<void> {
    await this.bus.publish({ kind: "revoke", userId, match });
  }

  /** Closes every socket of a user, on every node (sessions ended, account deactivated). */
  async disconnectUser(userId: string): Promise<void> {
    await this.bus.publish({ kind: "disconnect-user", userId });
  }

  /** Closes the sockets of these sessions at once, on every node (signed out, revoked, password changed or reset). */
  async disconnectSessions(sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length) await this.bus.publish({ kind: "disconnect-sessions", sessionIds: [...sessionIds] });
  }

  /** Each user's aggregated presence, from whichever node their devices are on. */
  async presenceOf(userIds: readonly string[]): Promise<Map<string, PresenceStatus>> {
    return this.presence.getMany([...new Set(userIds)]);
  }

  /** Pushes a module's message to one connection, on whichever node holds it. */
  async sendTo(connectionId: string, topic: string, body: Record<string, unknown>): Promise<void> {
    await this.bus.publish({ kind: "direct", connectionId, topic, body });
  }

  accept(socket: WebSocket, actor: RealtimeActor, version: number): void {
    if (version !== REALTIME_PROTOCOL_VERSION) {
      socket.close(CloseCodes.unsupportedVersion.code, CloseCodes.unsupportedVersion.reason);
      return;
    }
    if (this.closing) {
      socket.close(CloseCodes.goingAway.code, CloseCodes.goingAway.reason);
      return;
    }
    const conn: Connection = {
      id: uuidv7(),
      socket,
      actor,
      messaged: new Set(),
      subs: new Map(),
      presence: "online",
      alive: true,
      tokens: this.config.WS_MESSAGES_PER_SEC * 2,
      refilledAt: Date.now(),
      inbox: Promise.resolve(),
    };
    this.conns.set(conn.id, conn);
    wsConnections.inc();
    indexConnection(this.byUser, actor.id, conn, true);
    socket.on("pong", () => (conn.alive = true));
    // One message at a time per connection: an unsubscribe never overtakes the subscribe before it.
    socket.on("message", (data, isBinary) => {
      conn.alive = true;
      if (!takeToken(conn, this.config.WS_MESSAGES_PER_SEC)) {
        this.closeWith(conn.socket, CloseCodes.rateLimited);
        return;
      }
      conn.inbox = conn.inbox.then(() => this.onMessage(conn, isBinary ? null : String(data)));
    });
    socket.on("close", () => void this.onClose(conn));
    socket.on("error", () => socket.terminate());
    this.send(conn, {
      type: "hello",
      version: REALTIME_PROTOCOL_VERSION,
      connectionId: conn.id,
      userId: actor.id,
      heartbeatMs: this.config.WS_HEARTBEAT_MS,
    });
    void this.setPresence(conn, "online");
  }

  private closeWith(socket: WebSocket, c: { code: number; reason: string }): void {
    wsServerCloses.inc({ reason: c.reason });
    socket.close(c.code, c.reason);
  }

  private send(conn: Connection, msg: ServerMessage): void {
    this.sendRaw(conn, JSON.stringify(msg));
  }

  private sendRaw(conn: Connection, raw: string): void {
    const s = conn.socket;
    if (s.readyState !== s.OPEN) return;
    s.send(raw);
    if (s.bufferedAmount > this.config.WS_MAX_BUFFER_BYTES) {
      this.log.warn(
        { connection: conn.id, user: conn.actor.id, buffered: s.bufferedAmount },
        "slow consumer disconnected",
      );
      this.closeWith(s, CloseCodes.slowConsumer);
      setTimeout(() => s.terminate(), 1_000).unref();
    }
  }

  private async onMessage(conn: Connection, raw: string | null): Promise<void> {
    let msg: ClientMessage;
    try {
      const parsed = clientMessageSchema.safeParse(JSON.parse(raw ?? "null"));
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? "invalid");
      msg = parsed.data;
    } catch (e) {
      this.send(conn, { type: "error", code: "invalid_message", message: (e as Error).message });
      return;
    }
    try {
      switch (msg.type) {
        case "ping":
          this.send(conn, { type: "pong", ...(msg.id ? { id: msg.id } : {}) });
          return;
        case "subscribe":
          await this.subscribe(conn, msg.topic, msg.since);
          return;
        case "unsubscribe":
          this.drop(conn, msg.topic);
          return;
        case "presence":
          await this.setPresence(conn, msg.status);
          return;
        case "send":
          await this.forward(conn, msg.topic, msg.ref, msg.body);
          return;
        case "typing":
          if (conn.subs.get(msg.topic)?.open) {
            await this.bus.publish({ kind: "typing", topic: msg.topic, userId: conn.actor.id, connectionId: conn.id });
          }
          return;
      }
    } catch (e) {
      this.log.error({ err: (e as Error).message, type: msg.type }, "realtime message failed");
      this.send(conn, { type: "error", code: "internal", message: "the server could not handle this message" });
    }
  }

  /** A `send`: the topic's owner decides and answers; anything else is refused. */
  private async forward(
    conn: Connection,
    topic: string,
    ref: string | undefined,
    body: Record<string, unknown>,
  ): Promise<void> {
    const owner = this.owner(topic);
    const refs = ref === undefined ? {} : { ref };
    if (!owner?.onMessage || (conn.actor.kind === "user" && !hasScope(conn.actor, "write"))) {
      this.send(conn, { type: "reply", topic, ...refs, ok: false, code: "forbidden" });
      return;
    }
    conn.messaged.add(owner.prefix);
    try {
      const answer = await owner.onMessage({ actor: conn.actor, connectionId: conn.id, topic, body });
      this.send(conn, { type: "reply", topic, ...refs, ok: true, body: answer ?? {} });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      this.send(conn, { type: "reply", topic, ...refs, ok: false, code: e.code });
    }
  }

  private owner(topic: string): TopicDefinition | undefined {
    return this.topics.find((t) => topic.startsWith(t.prefix));
  }

  private async authorized(actor: RealtimeActor, topic: string): Promise<boolean> {
    const owner = this.owner(topic);
    if (!owner) return false;
    if (actor.kind === "visitor") return !!owner.authorizeVisitor && (await owner.authorizeVisitor(actor, topic));
    return hasScope(actor, "read") && (await owner.authorizeTopic(actor, topic));
  }

  private async subscribe(conn: Connection, topic: string, since: number | undefined): Promise<void> {
    const owner = this.owner(topic);
    if (!owner) {
      this.send(conn, { type: "refused", topic, reason: "invalid" });
      return;
    }
    if (!(await this.authorized(conn.actor, topic))) {
      this.send(conn, { type: "refused", topic, reason: "forbidden" });
      return;
    }
    const actor = conn.actor;
    // A visitor is replayed nothing: what they may see starts when they subscribe.
    const from =
      actor.kind === "visitor"
        ? since === undefined
          ? null
          : new Date().toISOString()
        : since !== undefined && owner.catchUpFrom
          ? await owner.catchUpFrom(actor, topic)
          : null;
    if (conn.socket.readyState !== conn.socket.OPEN) return;
    this.drop(conn, topic, false);
    if (conn.subs.size >= MAX_SUBSCRIPTIONS) {
      this.send(conn, {
        type: "error",
        code: "too_many_subscriptions",
        message: `at most ${MAX_SUBSCRIPTIONS} topics per connection`,
      });
      this.send(conn, { type: "refused", topic, reason: "invalid" });
      return;
    }
    const sub: Subscription = { topic, ephemeral: !!owner.ephemeral, lastSeq: 0, chain: Promise.resolve(), open: true };
    conn.subs.set(topic, sub);
    // Listed before reading the log: an event committed from now on is either read below or queued behind it.
    indexConnection(this.byTopic, topic, conn, true);
    if (sub.ephemeral) {
      this.send(conn, { type: "subscribed", topic, seq: 0 });
      if (topic.startsWith("presence:")) {
        const userId = topic.slice("presence:".length);
        this.send(conn, { type: "presence", userId, status: await this.presence.get(userId) });
      }
      return;
    }
    this.enqueue(sub, async () => {
      const { current, missed } = await this.topicLog.catchUp(topic, since, MAX_CATCH_UP, from);
      if (!sub.open) return;
      sub.lastSeq = current;
      if (!missed) return this.send(conn, { type: "resync-required", topic, seq: current });
      for (const r of missed) this.send(conn, { type: "event", topic, seq: r.seq, event: r.event });
      this.send(conn, { type: "subscribed", topic, seq: current });
    });
  }

  private enqueue(sub: Subscription, step: () => Promise<void>): void {
    sub.chain = sub.chain
      .then(step)
      .catch((e: unknown) =>
        this.log.error({ err: (e as Error).message, topic: sub.topic }, "realtime delivery failed"),
      );
  }

  private drop(conn: Connection, topic: string, notify = false): void {
    const sub = conn.subs.get(topic);
    if (!sub) return;
    sub.open = false;
    conn.subs.delete(topic);
    indexConnection(this.byTopic, topic, conn, false);
    if (notify) this.send(conn, { type: "refused", topic, reason: "revoked" });
  }

  private async setPresence(conn: Connection, status: DeviceStatus | null): Promise<void> {
    if (status) conn.presence = status;
    // Visitors are not in the directory: they have no presence.
    if (conn.actor.kind === "visitor") return;
    const before = await this.presence.get(conn.actor.id);
    const after = await this.presence.set(conn.actor.id, conn.id, status);
    if (before !== after) await this.bus.publish({ kind: "presence", userId: conn.actor.id, status: after });
  }

  private async onClose(conn: Connection): Promise<void> {
    if (!this.conns.delete(conn.id)) return;
    wsConnections.dec();
    for (const topic of [...conn.subs.keys()]) this.drop(conn, topic);
    indexConnection(this.byUser, conn.actor.id, conn, false);
    for (const prefix of conn.messaged) {
      const owner = this.topics.find((t) => t.prefix === prefix);
      await owner
        ?.onDisconnect?.(conn.id, conn.actor)
        .catch((e: unknown) => this.log.error({ err: (e as Error).message, prefix }, "disconnect handler failed"));
    }
    try {
      await this.setPresence(conn, null);
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, "could not clear presence");
    }
  }

  private async beat(): Promise<void> {
    const now = new Date().toISOString();
    for (const c of this.conns.values()) {
      if (c.actor.kind === "visitor" && c.actor.expiresAt <= now) {
        this.closeWith(c.socket, CloseCodes.sessionEnded);
        continue;
      }
      if (!c.alive) {
        this.closeWith(c.socket, CloseCodes.heartbeatTimeout);
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
    try {
      await this.refreshActors([...this.conns.values()], false);
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, "could not check credentials");
    }
    try {
      await this.presence.refresh(
        [...this.conns.values()]
          .filter((c) => c.actor.kind === "user")
          .map((c) => ({ userId: c.actor.id, connectionId: c.id, status: c.presence })),
      );
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, "could not refresh presence");
    }
  }

  private onClusterMessage(m: ClusterMessage): void {
    switch (m.kind) {
      case "event":
        return this.deliverEvent(m.topic, m.seq, m.event);
      case "presence": {
        const raw = JSON.stringify({ type: "presence", userId: m.userId, status: m.status } satisfies ServerMessage);
        for (const c of this.byTopic.get(`presence:${m.userId}`) ?? []) this.sendRaw(c, raw);
        return;
      }
      case "typing": {
        const raw = JSON.stringify({ type: "typing", topic: m.topic, userId: m.userId } satisfies ServerMessage);
        for (const c of this.byTopic.get(m.topic) ?? []) if (c.actor.id !== m.userId) this.sendRaw(c, raw);
        return;
      }
      case "revoke":
        for (const c of this.byUser.get(m.userId) ?? []) {
          for (const topic of [...c.subs.keys()]) if (topicMatches(m.match, topic)) this.drop(c, topic, true);
        }
        return;
      case "reauthorize":
        void this.recheck(m.userId).catch((e: unknown) =>
          this.log.error({ err: (e as Error).message }, "re-authorization failed"),
        );
        return;
      case "disconnect-user":
        for (const c of this.byUser.get(m.userId) ?? []) this.closeWith(c.socket, CloseCodes.sessionEnded);
        return;
      case "direct": {
        const c = this.conns.get(m.connectionId);
        if (c) this.send(c, { type: "message", topic: m.topic, body: m.body });
        return;
      }
      case "disconnect-sessions": {
        const ended = new Set(m.sessionIds);
        for (const c of this.conns.values())
          if (c.actor.kind === "user" && c.actor.sessionId && ended.has(c.actor.sessionId))
            this.closeWith(c.socket, CloseCodes.sessionEnded);
        return;
      }
    }
  }

  private deliverEvent(topic: string, seq: number, event: WireEvent): void {
    const subscribers = this.byTopic.get(topic);
    if (!subscribers) return;
    const raw = JSON.stringify({ type: "event", topic, seq, event } satisfies ServerMessage);
    for (const c of subscribers) {
      const sub = c.subs.get(topic);
      if (!sub || sub.ephemeral) continue;
      this.enqueue(sub, async () => {
        if (!sub.open || seq <= sub.lastSeq) return;
        if (seq > sub.lastSeq + 1) await this.fillGap(c, sub, seq - 1);
        if (!sub.open || seq <= sub.lastSeq) return;
        this.sendRaw(c, raw);
        sub.lastSeq = seq;
      });
    }
  }

  /** Events dispatched out of order (several dispatchers, a retried publish): read the missing ones from the log. */
  private async fillGap(c: Connection, sub: Subscription, upTo: number): Promise<void> {
    const rows = await this.topicLog.range(sub.topic, sub.lastSeq, upTo);
    if (!sub.open) return;
    if (!contiguous(rows, sub.lastSeq, upTo)) {
      sub.lastSeq = upTo;
      this.send(c, { type: "resync-required", topic: sub.topic, seq: upTo });
      return;
    }
    for (const r of rows) this.send(c, { type: "event", topic: sub.topic, seq: r.seq, event: r.event });
    sub.lastSeq = upTo;
  }

  /** Checks every subscription of the user again, on every node; those no longer allowed get `refused … revoked`. */
  async reauthorize(userId: string): Promise<void> {
    await this.bus.publish({ kind: "reauthorize", userId });
  }

  private async recheck(userId: string): Promise<void> {
    await this.refreshActors([...(this.byUser.get(userId) ?? [])], true);
  }

  /**
   * Reloads these sockets' owners from the database: closes those whose
   * credentials ended, takes the current role (the one at connect time may be
   * stale), and asks each topic owner again where the role changed (or always).
   */
  private refreshActors(conns: Connection[], always: boolean): Promise<void> {
    const run = this.reloads.then(() => this.reloadActors(conns, always));
    this.reloads = run.catch(() => {});
    return run;
  }

  private async reloadActors(all: Connection[], always: boolean): Promise<void> {
    const conns = all.filter((c): c is Connection & { actor: UserActor } => c.actor.kind === "user");
    if (!conns.length) return;
    const { lost, roles } = await this.credentialState(conns.map((c) => c.actor));
    for (const c of conns) {
      if (lost.has(c.actor.sessionId ?? c.actor.tokenId ?? "")) {
        this.closeWith(c.socket, CloseCodes.sessionEnded);
        continue;
      }
      const role = roles.get(c.actor.id) ?? c.actor.role;
      if (role === c.actor.role && !always) continue;
      c.actor = { ...c.actor, role };
      for (const topic of [...c.subs.keys()]) if (!(await this.authorized(c.actor, topic))) this.drop(c, topic, true);
    }
  }
}
