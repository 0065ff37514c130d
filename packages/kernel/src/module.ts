import type { FastifyInstance } from "fastify";
import type { ProblemCodeTable } from "@ensemble/protocol";
import type { Kernel } from "./kernel.ts";
import type { NamedMigration } from "./db/migrations.ts";
import type { EventHandler } from "./events/dispatcher.ts";
import type { TopicDefinition } from "./realtime/gateway.ts";
import type { SearchProvider } from "./search/search-provider.ts";
import type { NotificationKind } from "./notifications/notification-types.ts";
import type { EventDefinition } from "./events/define-event.ts";
import type { ModuleNamespace } from "./module-namespaces.ts";
import type { CallProvider } from "./calls/calls.ts";

/**
 * The one interface through which a service's server side plugs into
 * Ensemble (its `./server` export's default). Adding a service is one line
 * in the module list (modules.json); its web side is a manifest
 * (`@ensemble/ui`'s WebManifest, its `./web` export).
 */
export interface ModuleDefinition {
  /** Code name: `chat`, `files`, `docs`, `boards`, `meetings`, or `accounts` for the kernel's own. */
  name: string;
  /**
   * This module's own history (table `schema_migrations_<name>`), append-only;
   * names start with a timestamp and sort in the order they run. Other
   * modules' timestamps do not matter: the kernel's history runs first, then
   * each module's in module-list order.
   */
  migrations?: readonly NamedMigration[];
  /** Modules whose migrations must run before this one's (its tables reference theirs), wherever they sit in the list. */
  migrateAfter?: readonly string[];
  /** Registers this module's rules on the shared policy. */
  policies?(kernel: Kernel): void;
  /** Registers HTTP routes (and WebSocket handlers) under the shared pipeline. */
  routes?(app: FastifyInstance, kernel: Kernel): void | Promise<void>;
  /**
   * The prefixes this module owns (topics `room:`, names `chat.` of its events and notification kinds,
   * URLs `/api/chat`, tables `chat_`): checked at start against its topics, events and kinds and
   * against every other module's (a clash fails naming both).
   */
  namespace?: ModuleNamespace;
  /**
   * The problem codes this module answers with, each with its HTTP status:
   * declared with `defineProblemCodes` in its `shared/` (the web translates
   * them). Registered at start; a code another module or the kernel declares
   * refuses the start.
   */
  problemCodes?: ProblemCodeTable;
  /** The events this module records, each declared with `defineEvent` (payload schema and version). */
  events?: readonly EventDefinition[];
  /** Consumers of committed domain events (realtime, notifications, search, audit …); see docs/ARCHITECTURE.md. */
  eventHandlers?(kernel: Kernel): readonly EventHandler[];
  /** Realtime topic families this module owns (`room:`) and who may subscribe to each topic. */
  topics?(kernel: Kernel): readonly TopicDefinition[];
  /** Full-text search over this module's resources: indexers fed by events and query filters; see packages/kernel/src/search. */
  searchProviders?(kernel: Kernel): readonly SearchProvider[];
  /** Instant meetings this module starts for the others (the meetings module); at most one module provides them. */
  calls?(kernel: Kernel): CallProvider;
  /** Domain events mirrored into the audit log: exact names or `module.*` prefixes. */
  auditableEvents?: readonly string[];
  /** Notification kinds this module emits (`chat.mention`), with their default channels. */
  notificationKinds?: readonly NotificationKind[];
  /** Runs once at start, after migrations (seed data, background jobs). */
  start?(kernel: Kernel): void | Promise<void>;
  /** Runs at shutdown, before the database closes. */
  stop?(kernel: Kernel): void | Promise<void>;
}

export const defineModule = (m: ModuleDefinition): ModuleDefinition => m;
