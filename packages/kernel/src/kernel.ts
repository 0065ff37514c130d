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
  close(): Promise<void>;
}

export async function createKernel(config: Config, log?: Logger): Promise<Kernel> {
  const logger = log ?? pino(loggerOptions(config.LOG_LEVEL));
  const database = await openDatabase(config);
  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2 }) : null;
  return {
    config,
    database,
    db: database.db,
    log: logger,
    policy: new Policy(),
    settings: new SettingsStore(database.db),
    mailer: createMailer(config.SMTP_URL, config.MAIL_FROM, logger),
    blobs: new DiskBlobStore(path.join(config.dataDir, "files")),
    redis,
    close: async () => {
      await database.close();
      if (redis) redis.disconnect();
    },
  };
}
