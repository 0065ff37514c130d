import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { OutboundAllowList } from "./net/ip-ranges.ts";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const url = (protocols: string[]) =>
  z.url().refine((u) => protocols.some((p) => u.startsWith(`${p}:`)), {
    message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(" or ")}`,
  });

/**
 * Every setting, its default and what it switches. The README's configuration
 * table is written from this list; keep them in step.
 */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default("0.0.0.0"),
  PUBLIC_URL: url(["http", "https"]).optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: url(["postgres", "postgresql"]).optional(),
  /** PostgreSQL schema to use (tests isolate themselves with one schema each). */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .optional(),
  /** PostgreSQL connections per node: each open transaction (a send) holds one for its round trips. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  REDIS_URL: url(["redis", "rediss"]).optional(),
  SMTP_URL: url(["smtp", "smtps"]).optional(),
  MAIL_FROM: z.string().default("Ensemble <no-reply@localhost>"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TRUST_PROXY: bool.default(false),
  /** argon2id memory cost in KiB and passes; see docs/PERFORMANCE.md for the choice. */
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(1024).default(19456),
  ARGON2_PASSES: z.coerce.number().int().min(1).default(2),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).default(30),
  OIDC_ISSUER: url(["http", "https"]).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().min(1).default("SSO"),
  OIDC_SCOPES: z.string().default("openid profile email"),
  OIDC_ROLE_CLAIM: z.string().min(1).optional(),
  OIDC_ADMIN_VALUES: z.string().default("admin"),
  OIDC_GUEST_VALUES: z.string().default("guest"),
  /** Hide local passwords: everyone signs in through OpenID Connect. */
  SSO_ONLY: bool.default(false),
  /** Allow plain-http OIDC issuers (tests, local labs); never in production. */
  OIDC_ALLOW_INSECURE: bool.default(false),
  RATE_LIMIT_SIGNIN_PER_MIN: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_PUBLIC_PER_MIN: z.coerce.number().int().min(1).default(120),
  /** Every other route, per route and credential (or address without one): above what a person or a polite bot sends. */
  RATE_LIMIT_DEFAULT_PER_MIN: z.coerce.number().int().min(1).default(600),
  LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).default(5),
  LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(15),
  /** Namespace of every Redis key and channel of this deployment (several deployments may share one Redis). */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/)
    .default("ensemble:"),
  /** Events (and per-topic logs) kept this long for resuming clients; older resumes are told to refetch. */
  EVENT_RETENTION_HOURS: z.coerce.number().min(0.01).default(72),
  /** A failing event handler is retried after this delay, doubled per attempt (capped at 10 min). */
  EVENT_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1000),
  EVENT_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(15),
  /** `false` makes this node record events without dispatching them (maintenance, tests of recovery). */
  EVENT_DISPATCH: bool.default(true),
  /** Server heartbeat period on /ws; a socket silent for two periods is reaped. */
  WS_HEARTBEAT_MS: z.coerce.number().int().min(100).default(25_000),
  /** A client whose unsent buffer passes this many bytes is disconnected (close 4009). */
  WS_MAX_BUFFER_BYTES: z.coerce.number().int().min(1024).default(4_194_304),
  /** Client messages per second allowed on one connection (burst: twice as many); close 4008 beyond. */
  WS_MESSAGES_PER_SEC: z.coerce.number().int().min(1).default(20),
  /**
   * Outbound requests (link previews, webhooks, slash commands) never reach private, loopback or
   * link-local addresses; this comma-separated list allows some: CIDRs, `host:port`, or `:port`.
   */
  OUTBOUND_ALLOW: z
    .string()
    .default("")
    .superRefine((v, ctx) => {
      try {
        new OutboundAllowList(v.split(","));
      } catch (e) {
        ctx.addIssue({ code: "custom", message: (e as Error).message });
      }
    }),
  /** DNS servers (`ip` or `ip:port`, comma-separated) for outbound requests instead of the system resolver. */
  OUTBOUND_DNS_SERVERS: z
    .string()
    .default("")
    .refine(
      (v) =>
        v.split(",").every((x) => !x.trim() || /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\])(:\d{1,5})?$/i.test(x.trim())),
      "IP addresses, optionally with :port, comma-separated",
    ),
  /** Pushes to one user within this window after one went out are coalesced (at most one push per burst). */
  NOTIFY_PUSH_COALESCE_MS: z.coerce.number().int().min(0).default(60_000),
  /** How often the e-mail digest of unread notifications runs (once per cluster). */
  NOTIFY_DIGEST_INTERVAL_MS: z.coerce.number().int().min(50).default(60_000),
  /** Accept plain-http Web Push endpoints on loopback (tests, local labs); push services are HTTPS. */
  PUSH_ALLOW_HTTP_ENDPOINTS: bool.default(false),
  /** Co-editing: a document's whole state is stored this long after its last change (every update is logged at once). */
  COLLAB_STORE_DEBOUNCE_MS: z.coerce.number().int().min(10).default(2000),
  /** Co-editing: a document being edited keeps an automatic version at most this often (0: at every store that changed it). */
  COLLAB_VERSION_INTERVAL_MS: z.coerce.number().int().min(0).default(600_000),
  /** Co-editing: how often open documents' access is asked again (the safety net behind revocation messages). */
  COLLAB_RECHECK_MS: z.coerce.number().int().min(100).default(30_000),
  /** UDP ports the meetings' media server (SFU) uses, for firewalls: [MEDIA_PORT_MIN, MEDIA_PORT_MAX]. */
  MEDIA_PORT_MIN: z.coerce.number().int().min(1024).max(65535).default(40000),
  MEDIA_PORT_MAX: z.coerce.number().int().min(1024).max(65535).default(40999),
  /** The address announced in media candidates when the node sits behind NAT (its public IP). */
  MEDIA_ANNOUNCED_IP: z.union([z.ipv4(), z.ipv6()]).optional(),
  /** TURN servers handed to meeting participants (`turn:host:3478?transport=udp`, comma-separated). */
  TURN_URLS: z
    .string()
    .default("")
    .refine((v) => v.split(",").every((u) => !u.trim() || /^turns?:[^\s]+$/.test(u.trim())), "turn: or turns: URLs"),
  /** coturn's `static-auth-secret`: TURN credentials are time-limited HMACs of it (TURN REST scheme). */
  TURN_SECRET: z.string().min(16).optional(),
  /** How long handed-out TURN credentials stay valid. */
  TURN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  /** `relay`: browsers send meeting media only through TURN (a network that lets nothing else out; the relay tests). */
  TURN_POLICY: z.enum(["all", "relay"]).default("all"),
  CONFIG_FILE: z.string().optional(),
});

export type Config = z.infer<typeof configSchema> & { dataDir: string; publicUrl: string };

export class ConfigError extends Error {
  readonly issues: { variable: string; message: string }[];
  constructor(issues: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join("\n")}`);
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/**
 * Reads settings from an optional JSON file (CONFIG_FILE) then the environment,
 * the environment winning. Unknown ENSEMBLE-free variables are ignored: the
 * process environment holds much that is not ours.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const fromFile: Record<string, string> = {};
  if (env.CONFIG_FILE) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(env.CONFIG_FILE, "utf8"));
    } catch (e) {
      throw new ConfigError([{ variable: "CONFIG_FILE", message: `cannot read JSON file: ${(e as Error).message}` }]);
    }
    if (typeof raw !== "object" || raw === null) {
      throw new ConfigError([{ variable: "CONFIG_FILE", message: "must contain a JSON object" }]);
    }
    for (const [k, v] of Object.entries(raw)) fromFile[k] = String(v);
  }
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const key of Object.keys(configSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== "") merged[key] = v;
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? "?"), message: i.message })));
  }
  const c = parsed.data;
  const issues: { variable: string; message: string }[] = [];
  if (c.OIDC_ISSUER && !c.OIDC_CLIENT_ID)
    issues.push({ variable: "OIDC_CLIENT_ID", message: "required when OIDC_ISSUER is set" });
  if (c.SSO_ONLY && !c.OIDC_ISSUER) issues.push({ variable: "SSO_ONLY", message: "requires OIDC_ISSUER" });
  if (c.MEDIA_PORT_MIN > c.MEDIA_PORT_MAX)
    issues.push({ variable: "MEDIA_PORT_MAX", message: "must not be below MEDIA_PORT_MIN" });
  if (c.TURN_URLS.trim() && !c.TURN_SECRET)
    issues.push({ variable: "TURN_SECRET", message: "required when TURN_URLS is set" });
  if (c.TURN_POLICY === "relay" && !c.TURN_URLS.trim())
    issues.push({ variable: "TURN_URLS", message: "required when TURN_POLICY is relay" });
  if (issues.length) throw new ConfigError(issues);
  const publicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, "");
  return { ...c, dataDir: path.resolve(c.DATA_DIR), publicUrl };
}
