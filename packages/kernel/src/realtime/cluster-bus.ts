import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { PresenceStatus, WireEvent } from "@ensemble/protocol";

/** A serializable description of topics, so that a revocation can cross nodes. */
export type TopicMatch = { topic: string } | { prefix: string } | { all: true };

export const topicMatches = (m: TopicMatch, topic: string): boolean =>
  "all" in m ? true : "topic" in m ? m.topic === topic : topic.startsWith(m.prefix);

/** What nodes tell each other. Every node, the sender included, receives every message. */
export type ClusterMessage =
  | { kind: "event"; topic: string; seq: number; event: WireEvent }
  | { kind: "presence"; userId: string; status: PresenceStatus }
  | { kind: "typing"; topic: string; userId: string; connectionId: string }
  | { kind: "revoke"; userId: string; match: TopicMatch }
  | { kind: "reauthorize"; userId: string }
  | { kind: "disconnect-user"; userId: string }
  | { kind: "disconnect-sessions"; sessionIds: string[] }
  | { kind: "direct"; connectionId: string; topic: string; body: Record<string, unknown> };

export interface ClusterBus {
  publish(msg: ClusterMessage): Promise<void>;
  subscribe(fn: (msg: ClusterMessage) => void): void;
  /** Resolves once this node receives messages: await it before accepting clients. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** One node: messages go straight back to this process's listeners. */
export class LocalBus implements ClusterBus {
  private readonly listeners: ((msg: ClusterMessage) => void)[] = [];
  async publish(msg: ClusterMessage): Promise<void> {
    for (const l of this.listeners) l(msg);
  }
  subscribe(fn: (msg: ClusterMessage) => void): void {
    this.listeners.push(fn);
  }
  async ready(): Promise<void> {}
  async close(): Promise<void> {}
}

/** Several nodes: Redis pub/sub on one channel under the deployment's prefix. */
export class RedisBus implements ClusterBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly channel: string;
  private readonly listeners: ((msg: ClusterMessage) => void)[] = [];
  private readonly subscribed: Promise<unknown>;

  constructor(redis: Redis, prefix: string, log: Logger) {
    this.pub = redis;
    this.sub = redis.duplicate();
    this.channel = `${prefix}realtime`;
    this.sub.on("message", (_channel: string, raw: string) => {
      let msg: ClusterMessage;
      try {
        msg = JSON.parse(raw) as ClusterMessage;
      } catch {
        log.warn("ignored a malformed cluster message");
        return;
      }
      for (const l of this.listeners) l(msg);
    });
    this.subscribed = this.sub.subscribe(this.channel);
    // A short-lived process (CLI) may close before the subscription settles;
    // whoever awaits `ready()` still sees the failure, nobody else crashes on it.
    this.subscribed.catch((err: unknown) => log.debug({ err }, "cluster subscription ended"));
  }

  async publish(msg: ClusterMessage): Promise<void> {
    await this.subscribed;
    await this.pub.publish(this.channel, JSON.stringify(msg));
  }
  subscribe(fn: (msg: ClusterMessage) => void): void {
    this.listeners.push(fn);
  }
  async ready(): Promise<void> {
    await this.subscribed;
  }
  async close(): Promise<void> {
    this.sub.disconnect();
  }
}
