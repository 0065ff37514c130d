import type { Redis } from "ioredis";
import type { PresenceStatus } from "@ensemble/protocol";

type DeviceStatus = Exclude<PresenceStatus, "offline">;

/** A user is online if any device is; do-not-disturb wins over online; away only if every device is away. */
export function aggregate(statuses: Iterable<DeviceStatus>): PresenceStatus {
  let best: PresenceStatus = "offline";
  for (const s of statuses) {
    if (s === "dnd") return "dnd";
    if (s === "online") best = "online";
    else if (best === "offline") best = "away";
  }
  return best;
}

/** Per-device presence, never stored in the database. */
export interface PresenceStore {
  /** Sets (or with null clears) one device's status and answers the user's resulting status. */
  set(userId: string, connectionId: string, status: DeviceStatus | null): Promise<PresenceStatus>;
  get(userId: string): Promise<PresenceStatus>;
  /** Several users at once (one round trip with Redis); every id asked for is in the answer. */
  getMany(userIds: readonly string[]): Promise<Map<string, PresenceStatus>>;
  /** Keeps this node's devices alive (Redis entries expire when a node dies). */
  refresh(devices: Iterable<{ userId: string; connectionId: string; status: DeviceStatus }>): Promise<void>;
}

export class LocalPresence implements PresenceStore {
  private readonly users = new Map<string, Map<string, DeviceStatus>>();
  async set(userId: string, connectionId: string, status: DeviceStatus | null): Promise<PresenceStatus> {
    const devices = this.users.get(userId) ?? new Map<string, DeviceStatus>();
    if (status) devices.set(connectionId, status);
    else devices.delete(connectionId);
    if (devices.size) this.users.set(userId, devices);
    else this.users.delete(userId);
    return aggregate(devices.values());
  }
  async get(userId: string): Promise<PresenceStatus> {
    return aggregate(this.users.get(userId)?.values() ?? []);
  }
  async getMany(userIds: readonly string[]): Promise<Map<string, PresenceStatus>> {
    return new Map(userIds.map((id) => [id, aggregate(this.users.get(id)?.values() ?? [])]));
  }
  async refresh(): Promise<void> {}
}

/** A user's status from their Redis hash: `status|expiresAt` per device, expired devices ignored. */
function liveStatus(devices: Record<string, string>): PresenceStatus {
  const now = Date.now();
  const live: DeviceStatus[] = [];
  for (const v of Object.values(devices)) {
    const [s, exp] = v.split("|");
    if (Number(exp) > now && (s === "online" || s === "away" || s === "dnd")) live.push(s);
  }
  return aggregate(live);
}

/**
 * One hash per user (`<prefix>presence:<userId>`), a field per device whose
 * value carries its own expiry: a killed node's devices fade out after the TTL
 * even though Redis cannot expire single hash fields everywhere.
 */
export class RedisPresence implements PresenceStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly ttlMs: number;
  constructor(redis: Redis, prefix: string, ttlMs: number) {
    this.redis = redis;
    this.prefix = prefix;
    this.ttlMs = ttlMs;
  }
  private key(userId: string) {
    return `${this.prefix}presence:${userId}`;
  }
  async set(userId: string, connectionId: string, status: DeviceStatus | null): Promise<PresenceStatus> {
    const key = this.key(userId);
    if (status) {
      await this.redis
        .multi()
        .hset(key, connectionId, `${status}|${Date.now() + this.ttlMs}`)
        .pexpire(key, this.ttlMs)
        .exec();
    } else {
      await this.redis.hdel(key, connectionId);
    }
    return this.get(userId);
  }
  async get(userId: string): Promise<PresenceStatus> {
    return liveStatus(await this.redis.hgetall(this.key(userId)));
  }
  async getMany(userIds: readonly string[]): Promise<Map<string, PresenceStatus>> {
    const out = new Map<string, PresenceStatus>();
    if (!userIds.length) return out;
    const m = this.redis.multi();
    for (const id of userIds) m.hgetall(this.key(id));
    const replies = (await m.exec()) ?? [];
    userIds.forEach((id, i) => {
      const [err, all] = replies[i] ?? [null, {}];
      if (err) throw err;
      out.set(id, liveStatus((all ?? {}) as Record<string, string>));
    });
    return out;
  }
  async refresh(devices: Iterable<{ userId: string; connectionId: string; status: DeviceStatus }>): Promise<void> {
    const m = this.redis.multi();
    let n = 0;
    for (const d of devices) {
      const key = this.key(d.userId);
      m.hset(key, d.connectionId, `${d.status}|${Date.now() + this.ttlMs}`).pexpire(key, this.ttlMs);
      n += 1;
    }
    if (n) await m.exec();
  }
}
