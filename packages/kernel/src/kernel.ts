import path from "node:path";
import pino, { type Logger } from "pino";
import { Redis } from "ioredis";
import type { Kysely } from "kysely";
import type { Config } from "./config.ts";
import { openDatabase, type Database } from "./db/database.ts";
import type { KernelTables } from "./db/tables.ts";
import { Policy } from "./authz/policy.ts";
import { SettingsStore } from "./settings.ts";
import { createMailer, type Mailer } from "./mailer.ts";
import { DiskBlobStore, type BlobStore } from "./storage.ts";
import { loggerOptions } from "./logger.ts";
import { uuidv7 } from "@ensemble/protocol";
import type { EventTables } from "./events/event-tables.ts";
import { EventDispatcher } from "./events/dispatcher.ts";
import { DbLeases, JobScheduler, RedisLeases } from "./events/jobs.ts";
import { RealtimeGateway } from "./realtime/gateway.ts";
import { LocalBus, RedisBus, type ClusterBus } from "./realtime/cluster-bus.ts";
import { LocalPresence, RedisPresence } from "./realtime/presence-store.ts";
import { TopicLog } from "./realtime/topic-log.ts";
import { AuditTrail } from "./audit/audit.ts";
import { SearchService } from "./search/search-service.ts";
import { NotificationService } from "./notifications/notification-service.ts";
import { credentialState } from "./realtime/credential-check.ts";
import { VisitorPasses } from "./realtime/visitor-pass.ts";
import { safeFetcherFromConfig, type SafeFetcher } from "./net/safe-fetch.ts";
import { ServerKeys } from "./server-keys.ts";
import { ProblemRegistry } from "./problem-registry.ts";
import { Calls } from "./calls/calls.ts";
import { tokenService, userService, type TokenService, type UserService } from "./accounts/account-services.ts";

/** What every module receives: the shared platform services, nothing module-specific. */
export interface Kernel {
  config: Config;
  database: Database;
  db: Kysely<KernelTables>;
  log: Logger;
  policy: Policy;
  settings: SettingsStore;
  mailer: Mailer;
  blobs: BlobStore;
  redis: Redis | null;
  /** This process's identity in the cluster (leases, logs). */
  nodeId: string;
  /** The outbox dispatcher: register handlers, start/stop delivery. Events are recorded with `recordEvent(tx, …)`. */
  events: EventDispatcher;
  /** The /ws gateway of this node: publish, revoke, disconnect, presence. */
  realtime: RealtimeGateway;
  /** Scheduled jobs, run once per cluster: `kernel.jobs.every(name, ms, fn)`. */
  jobs: JobScheduler;
  /** Cross-node messages (Redis pub/sub when REDIS_URL is set). */
  cluster: ClusterBus;
  /** Events mirrored into the audit log (modules' `auditableEvents`); entries are written with `audit(tx, …)`. */
  auditTrail: AuditTrail;
  /** The one search: modules' providers, the shared index, the merged query. */
  search: SearchService;
  /** Notification intents → in-app, Web Push, e-mail digest, by user preferences; `notify(tx, …)` records one. */
  notifications: NotificationService;
  /** Accounts as modules may use them: find, create service accounts, deactivate (events and audit included). */
  users: UserService;
  /** App tokens: create and revoke, audited. */
  tokens: TokenService;
  /** Server keys shared by every node (`k.secrets.key("chat.signing_key")`); sign with `signValue`. */
  secrets: ServerKeys;
  /** The problem codes answered by this server: the kernel's and each module's, registered at start. */
  problems: ProblemRegistry;
  /** Guarded outbound HTTP (OUTBOUND_ALLOW, OUTBOUND_DNS_SERVERS): private and reserved addresses refused. */
  net: SafeFetcher;
  /** Visitor passes: people without an account let onto the realtime gateway for one purpose (a meeting's guest). */
  visitors: VisitorPasses;
  /** Instant meetings other modules may start (a chat room's call), provided by the meetings module if present. */
  calls: Calls;
  close(): Promise<void>;
}

export async function createKernel(config: Config, log?: Logger): Promise<Kernel> {
  const logger = log ?? pino(loggerOptions(config.LOG_LEVEL));
  const database = await openDatabase(config);
  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2 }) : null;
  const nodeId = uuidv7();
  const eventsDb = database.db.withTables<EventTables>();
  const prefix = config.REDIS_PREFIX;
  const cluster: ClusterBus = redis ? new RedisBus(redis, prefix, logger) : new LocalBus();
  const presence = redis ? new RedisPresence(redis, prefix, config.WS_HEARTBEAT_MS * 3) : new LocalPresence();
  const realtime = new RealtimeGateway({
    config,
    log: logger,
    bus: cluster,
    presence,
    topicLog: new TopicLog(eventsDb),
    credentialState: (actors) => credentialState(database.db, actors),
  });
  const events = new EventDispatcher({ db: eventsDb, kind: database.kind, config, log: logger });
  const jobs = new JobScheduler(redis ? new RedisLeases(redis, prefix) : new DbLeases(eventsDb), nodeId, logger);
  const kernelDb = database.db;
  const search = new SearchService({ db: kernelDb, kind: database.kind, sqlite: database.sqlite, events, log: logger });
  const mailer = createMailer(config.SMTP_URL, config.MAIL_FROM, logger);
  const notifications = new NotificationService({ db: kernelDb, config, log: logger, mailer });
  const secrets = new ServerKeys(database.db);
  const kernel: Kernel = {
    users: userService(() => kernel),
    tokens: tokenService,
    secrets,
    visitors: new VisitorPasses(secrets),
    calls: new Calls(),
    net: safeFetcherFromConfig(config),
    problems: new ProblemRegistry(),
    auditTrail: new AuditTrail(),
    search,
    notifications,
    nodeId,
    events,
    realtime,
    jobs,
    cluster,
    config,
    database,
    db: database.db,
    log: logger,
    policy: new Policy(),
    settings: new SettingsStore(database.db),
    mailer,
    blobs: new DiskBlobStore(path.join(config.dataDir, "files")),
    redis,
    close: async () => {
      await cluster.close();
      await database.close();
      if (redis) redis.disconnect();
    },
  };
  return kernel;
}
