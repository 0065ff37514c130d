import type { WebSocket } from "ws";
import type { UserActor } from "../authz/actor.ts";
import type { VisitorActor } from "./visitor-pass.ts";

/** Who holds a socket: a signed-in user (session or app token) or a visitor (visitor pass). */
export type RealtimeActor = UserActor | VisitorActor;

/** One socket's state on this node. */
export type DeviceStatus = "online" | "away" | "dnd";

export interface Subscription {
  topic: string;
  ephemeral: boolean;
  lastSeq: number;
  /** Catch-up and live events of one subscription run one after another, in order. */
  chain: Promise<void>;
  open: boolean;
}

export interface Connection {
  id: string;
  socket: WebSocket;
  actor: RealtimeActor;
  /** Topic families this connection sent messages to: their owners hear when it closes. */
  messaged: Set<string>;
  subs: Map<string, Subscription>;
  presence: DeviceStatus;
  alive: boolean;
  tokens: number;
  refilledAt: number;
  /** Client messages are handled in arrival order. */
  inbox: Promise<void>;
}

/** Token bucket: `rate` messages per second, bursts of twice as many. */
export function takeToken(conn: Connection, rate: number): boolean {
  const now = Date.now();
  conn.tokens = Math.min(rate * 2, conn.tokens + ((now - conn.refilledAt) / 1000) * rate);
  conn.refilledAt = now;
  if (conn.tokens < 1) return false;
  conn.tokens -= 1;
  return true;
}

/** Adds or removes a connection in a key → connections index, dropping empty sets. */
export function indexConnection(map: Map<string, Set<Connection>>, key: string, conn: Connection, add: boolean): void {
  const set = map.get(key) ?? new Set<Connection>();
  if (add) set.add(conn);
  else set.delete(conn);
  if (set.size) map.set(key, set);
  else map.delete(key);
}
