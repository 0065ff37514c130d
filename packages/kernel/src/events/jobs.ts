import type { Redis } from "ioredis";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { EventTables } from "./event-tables.ts";

/** A named, expiring lock held by one node of the cluster. */
export interface LeaseStore {
  /** True when `holder` now holds `name` until ttl from now (taken, or extended if already its own). */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}

export class DbLeases implements LeaseStore {
  private readonly db: Kysely<EventTables>;
  constructor(db: Kysely<EventTables>) {
    this.db = db;
  }
  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = new Date();
    const expires = new Date(now.getTime() + ttlMs).toISOString();
    const taken = await this.db
      .updateTable("leases")
      .set({ holder, expires_at: expires })
      .where("name", "=", name)
      .where((eb) => eb.or([eb("expires_at", "<=", now.toISOString()), eb("holder", "=", holder)]))
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 1) return true;
    const inserted = await this.db
      .insertInto("leases")
      .values({ name, holder, expires_at: expires })
      .onConflict((oc) => oc.column("name").doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  async release(name: string, holder: string): Promise<void> {
    await this.db.deleteFrom("leases").where("name", "=", name).where("holder", "=", holder).execute();
  }
}

export class RedisLeases implements LeaseStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }
  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const key = `${this.prefix}lease:${name}`;
    // Take it if free, or extend it if it is already ours: one atomic script.
    const r = await this.redis.eval(
      `local v = redis.call('get', KEYS[1])
       if v == false then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
       if v == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return 1 end
       return 0`,
      1,
      key,
      holder,
      String(ttlMs),
    );
    return r === 1;
  }
  async release(name: string, holder: string): Promise<void> {
    await this.redis.eval(
      `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`,
      1,
      `${this.prefix}lease:${name}`,
      holder,
    );
  }
}

interface Job {
  name: string;
  everyMs: number;
  fn: () => Promise<void>;
  timer: NodeJS.Timeout | null;
}

/**
 * Scheduled jobs run once per cluster: at each tick every node tries to take
 * the job's lease for one period; the one that gets it runs the job. A node
 * that dies simply lets its lease expire.
 */
export class JobScheduler {
  private readonly jobs = new Map<string, Job>();
  private readonly leases: LeaseStore;
  private readonly nodeId: string;
  private readonly log: Logger;
  private started = false;
  private readonly running = new Set<Promise<void>>();

  constructor(leases: LeaseStore, nodeId: string, log: Logger) {
    this.leases = leases;
    this.nodeId = nodeId;
    this.log = log.child({ component: "jobs" });
  }

  every(name: string, everyMs: number, fn: () => Promise<void>): void {
    if (this.jobs.has(name)) throw new Error(`job ${name} is registered twice`);
    const job: Job = { name, everyMs, fn, timer: null };
    this.jobs.set(name, job);
    if (this.started) this.schedule(job);
  }

  /** Runs a job now if this node gets the lease; answers whether it ran. */
  async runNow(name: string): Promise<boolean> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no job ${name}`);
    return this.tick(job);
  }

  start(): void {
    this.started = true;
    for (const j of this.jobs.values()) this.schedule(j);
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const j of this.jobs.values()) if (j.timer) clearInterval(j.timer);
    await Promise.allSettled(this.running);
  }

  private schedule(job: Job): void {
    job.timer = setInterval(() => void this.tick(job), job.everyMs);
    job.timer.unref();
  }

  private async tick(job: Job): Promise<boolean> {
    // Slightly shorter than the period, so the next tick of any node can take it.
    const ttl = Math.max(job.everyMs - 50, Math.ceil(job.everyMs * 0.9));
    let mine: boolean;
    try {
      mine = await this.leases.acquire(`job:${job.name}`, this.nodeId, ttl);
    } catch (e) {
      this.log.warn({ job: job.name, err: (e as Error).message }, "could not take the job lease");
      return false;
    }
    if (!mine) return false;
    const run = job
      .fn()
      .catch((e: unknown) => this.log.error({ job: job.name, err: (e as Error).message }, "job failed"));
    this.running.add(run);
    await run;
    this.running.delete(run);
    return true;
  }
}
