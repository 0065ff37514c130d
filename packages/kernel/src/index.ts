export * from "./config.ts";
export * from "./errors.ts";
export { ProblemCodeError, ProblemRegistry } from "./problem-registry.ts";
export * from "./kernel.ts";
export * from "./module.ts";
export * from "./metrics.ts";
export * from "./settings.ts";
export * from "./storage.ts";
export * from "./mailer.ts";
export * from "./logger.ts";
export * from "./db/database.ts";
export * from "./db/migrations.ts";
export { orderHistories } from "./db/migration-order.ts";
export * from "./db/tables.ts";
export { kernelMigrations } from "./db/kernel-migrations.ts";
export * from "./authz/actor.ts";
export * from "./authz/capabilities.ts";
export * from "./authz/policy.ts";
export * from "./authz/organisation.ts";
export {
  route,
  noContent,
  rawResponse,
  type RouteContext,
  type RouteDef,
  type ResponseSpec,
  type NoContent,
  type RawResponse,
} from "./http/route.ts";
export { buildHttpApp } from "./http/app.ts";
export { websocketRoute, type WebSocketRouteDef } from "./http/websocket-route.ts";
export {
  recordEvent,
  type DomainEvent,
  type EventPayloads,
  type NewEvent,
  type PayloadOf,
  type TransactionLike,
} from "./events/record-event.ts";
export { defineEvent, type EventDefinition, type PayloadsOf } from "./events/define-event.ts";
export { defineEventHandler, type EventHandler, type EventDispatcher } from "./events/dispatcher.ts";
export type { JobScheduler, LeaseStore } from "./events/jobs.ts";
export type { RealtimeGateway, TopicDefinition, TopicMessage, RealtimeActor } from "./realtime/gateway.ts";
export type { VisitorPasses, VisitorActor } from "./realtime/visitor-pass.ts";
export type { ClusterBus, ClusterMessage, TopicMatch } from "./realtime/cluster-bus.ts";
export { endUserSessions } from "./realtime/end-user-sessions.ts";
export { audit, type AuditEntry } from "./audit/audit.ts";
export { Calls, type CallProvider, type StartedCall } from "./calls/calls.ts";
export { notify } from "./notifications/notify.ts";
export { readSources, unreadSources } from "./notifications/read-sources.ts";
export { redactSources, type Redactor } from "./events/redact-sources.ts";
export type {
  NotificationIntent,
  NotificationKind,
  LocalizedText,
  Importance,
  Channels,
} from "./notifications/notification-types.ts";
export {
  defineSearchProvider,
  type SearchProvider,
  type SearchDocument,
  type SearchHit,
  type SearchIndexWriter,
  type ParsedQuery,
} from "./search/search-provider.ts";

// The curated surface modules build on: nothing else of the kernel is importable (no deep imports).
export { deactivateUser, type DeactivationResult, type DeactivationVia } from "./accounts/deactivate-user.ts";
export type { UserService, TokenService } from "./accounts/account-services.ts";
export {
  usernameSchema,
  displayNameSchema,
  emailSchema,
  presentUser,
  findUserById,
  type UserRow,
} from "./accounts/users.ts";
export { UserResource, GroupResource } from "./accounts/resources.ts";
export { loadGroup, type GroupRow } from "./accounts/groups.ts";
export { randomToken, sha256, safeEqual } from "./accounts/secrets.ts";
export { hashPassword, verifyPassword } from "./accounts/passwords.ts";
export { ServerKeys, signValue, verifySignature } from "./server-keys.ts";
export {
  SafeFetcher,
  SafeFetchError,
  type SafeFetchErrorCode,
  type SafeFetchOptions,
  type SafeResponse,
} from "./net/safe-fetch.ts";
export { foldText, foldedContains } from "./db/fold.ts";
export { exemptFromRateLimit, type RateLimitSpec } from "./http/rate-limits.ts";
export {
  checkModuleNamespaces,
  createdTablesCheck,
  NamespaceError,
  type ModuleNamespace,
} from "./module-namespaces.ts";
export { isUniqueViolation } from "./db/unique-violation.ts";
