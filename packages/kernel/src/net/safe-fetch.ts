import { promises as dns } from "node:dns";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";
import { OutboundAllowList, isForbiddenAddress } from "./ip-ranges.ts";

export type SafeFetchErrorCode =
  | "invalid_url"
  | "forbidden_scheme"
  | "forbidden_port"
  | "forbidden_target"
  | "dns_failed"
  | "too_many_redirects"
  | "too_large"
  | "timeout"
  | "network";

/** Why an outbound request was refused or failed; `code` is stable, the message is for logs. */
export class SafeFetchError extends Error {
  readonly code: SafeFetchErrorCode;
  /** The connection could not be opened at all (the next address may be tried). */
  readonly beforeResponse: boolean;
  constructor(code: SafeFetchErrorCode, message: string, beforeResponse = false) {
    super(message);
    this.name = "SafeFetchError";
    this.code = code;
    this.beforeResponse = beforeResponse;
  }
}

interface Target {
  ip: string;
  family: 4 | 6;
}

interface ExchangeRequest {
  method: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
  deadline: number;
  opts: SafeFetchOptions;
}

export interface SafeFetchOptions {
  method?: "GET" | "HEAD" | "POST";
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Largest body read; beyond it the response is cut (`overflow: "truncate"`) or refused. */
  maxBytes?: number;
  overflow?: "truncate" | "error";
  /** Whole exchange, every redirect hop and the body included. */
  timeoutMs?: number;
  maxRedirects?: number;
}

export interface SafeResponse {
  /** The URL of the last hop (after redirects). */
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  truncated: boolean;
}

export interface SafeFetcherSettings {
  /** CIDRs, `host:port` or `:port` entries an administrator allows (see OutboundAllowList). */
  allow?: readonly string[];
  /** DNS servers (`ip` or `ip:port`) to ask instead of the system resolver. */
  dnsServers?: readonly string[];
  userAgent?: string;
}

export type Resolve = (host: string) => Promise<string[]>;

const DEFAULT_MAX_BYTES = 1_048_576;
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** The connection was never opened, so nothing was sent: the next address may be tried. */
const CONNECT_FAILURES = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);
const DROPPED_HEADERS = new Set([
  "cookie",
  "cookie2",
  "host",
  "connection",
  "proxy-authorization",
  "transfer-encoding",
]);

function systemResolver(): Resolve {
  return async (host) => (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
}

function serverResolver(servers: readonly string[]): Resolve {
  const r = new dns.Resolver({ timeout: 2_000, tries: 2 });
  r.setServers([...servers]);
  return async (host) => {
    const [v4, v6] = await Promise.allSettled([r.resolve4(host), r.resolve6(host)]);
    const out = [...(v4.status === "fulfilled" ? v4.value : []), ...(v6.status === "fulfilled" ? v6.value : [])];
    if (!out.length && v4.status === "rejected") throw v4.reason;
    return out;
  };
}

/**
 * The one way server code reaches a URL a user supplied (link previews,
 * webhooks, slash commands). The host is resolved here, every address it
 * resolves to must be public (or allow-listed), and the connection is made to
 * the address that was checked — a DNS answer that changes between the check
 * and the connection (rebinding) cannot redirect it. Each redirect hop is
 * checked the same way; the body is read up to a limit, within a deadline;
 * no cookie is ever sent.
 */
export class SafeFetcher {
  readonly allow: OutboundAllowList;
  private readonly resolve: Resolve;
  private readonly userAgent: string;

  constructor(settings: SafeFetcherSettings = {}, resolve?: Resolve) {
    this.allow = new OutboundAllowList(settings.allow ?? []);
    this.resolve = resolve ?? (settings.dnsServers?.length ? serverResolver(settings.dnsServers) : systemResolver());
    this.userAgent = settings.userAgent ?? "Ensemble/0.1 (link preview and integrations)";
  }

  async fetch(input: string, opts: SafeFetchOptions = {}): Promise<SafeResponse> {
    const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    let url = parseUrl(input);
    let method = opts.method ?? "GET";
    let body = opts.body;
    let headers = cleanHeaders(opts.headers ?? {});
    for (let hop = 0; ; hop++) {
      const res = await this.connectAny(url, await this.check(url), { method, headers, body, deadline, opts });
      if (!REDIRECTS.has(res.status) || maxRedirects === 0) return res;
      const location = res.headers.location;
      if (!location) return res;
      if (hop >= maxRedirects) throw new SafeFetchError("too_many_redirects", `more than ${maxRedirects} redirects`);
      const next = parseUrl(new URL(location, url).toString());
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
      }
      // Headers a caller meant for one origin do not travel to another.
      if (next.origin !== url.origin) headers = {};
      url = next;
    }
  }

  /**
   * Tries the checked addresses in turn (IPv4 first) while a connection
   * cannot even be opened; once one answers, its outcome is final.
   */
  private async connectAny(url: URL, targets: Target[], r: ExchangeRequest): Promise<SafeResponse> {
    let last: unknown;
    for (const target of targets.slice(0, 4)) {
      try {
        return await this.exchange(url, target, r);
      } catch (e) {
        if (!(e instanceof SafeFetchError) || e.code !== "network" || !e.beforeResponse) throw e;
        last = e;
      }
    }
    throw last;
  }

  /** Validates scheme, port and every resolved address; answers those to connect to, IPv4 first. */
  private async check(url: URL): Promise<Target[]> {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    if (!this.allow.portAllowed(host, port)) throw new SafeFetchError("forbidden_port", `port ${port} is not allowed`);
    let addresses: string[];
    if (isIP(host)) addresses = [host];
    else {
      try {
        addresses = await this.resolve(host);
      } catch (e) {
        throw new SafeFetchError("dns_failed", `cannot resolve ${host}: ${(e as Error).message}`);
      }
    }
    if (!addresses.length) throw new SafeFetchError("dns_failed", `${host} has no address`);
    // One forbidden answer refuses the host: an attacker controls which answer a client would pick.
    const refused = addresses.find((a) => !this.allow.addressAllowed(host, port, a));
    if (refused !== undefined) {
      throw new SafeFetchError(
        "forbidden_target",
        `${host} resolves to ${isForbiddenAddress(refused) ? "a non-public" : "a refused"} address`,
      );
    }
    const targets = addresses.map((ip): Target => ({ ip, family: isIP(ip) === 6 ? 6 : 4 }));
    return [...targets.filter((t) => t.family === 4), ...targets.filter((t) => t.family === 6)];
  }

  private exchange(url: URL, target: Target, r: ExchangeRequest): Promise<SafeResponse> {
    const remaining = r.deadline - Date.now();
    if (remaining <= 0) return Promise.reject(new SafeFetchError("timeout", "the request took too long"));
    const maxBytes = r.opts.maxBytes ?? DEFAULT_MAX_BYTES;
    const pinned: LookupFunction = (_host, options, cb) => {
      if (options.all)
        (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
          { address: target.ip, family: target.family },
        ]);
      else cb(null, target.ip, target.family);
    };
    const headers: Record<string, string> = { "user-agent": this.userAgent, accept: "*/*", ...r.headers };
    if (r.body !== undefined) headers["content-length"] = String(Buffer.byteLength(r.body));
    const mod = url.protocol === "https:" ? https : http;
    return new Promise<SafeResponse>((resolve, reject) => {
      let settled = false;
      const finish = (err: Error | null, res?: SafeResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(res!);
      };
      const req = mod.request({
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: r.method,
        headers,
        agent: false,
        lookup: pinned,
      });
      const timer = setTimeout(() => {
        finish(new SafeFetchError("timeout", "the request took too long"));
        req.destroy();
      }, remaining);
      let answered = false;
      req.on("error", (e: NodeJS.ErrnoException) =>
        finish(new SafeFetchError("network", e.message, !answered && CONNECT_FAILURES.has(e.code ?? ""))),
      );
      req.on("response", (res: IncomingMessage) => {
        answered = true;
        const declared = Number(res.headers["content-length"] ?? NaN);
        if (r.opts.overflow !== "truncate" && declared > maxBytes) {
          res.destroy();
          req.destroy();
          return finish(new SafeFetchError("too_large", `the response is larger than ${maxBytes} bytes`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        const done = (truncated: boolean) =>
          finish(null, {
            url: url.toString(),
            status: res.statusCode ?? 0,
            headers: flatHeaders(res),
            body: Buffer.concat(chunks),
            truncated,
          });
        res.on("data", (chunk: Buffer) => {
          if (settled) return;
          if (size + chunk.length > maxBytes) {
            if (r.opts.overflow === "truncate") {
              chunks.push(chunk.subarray(0, maxBytes - size));
              size = maxBytes;
              done(true);
            } else finish(new SafeFetchError("too_large", `the response is larger than ${maxBytes} bytes`));
            res.destroy();
            req.destroy();
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        res.on("end", () => done(false));
        res.on("error", (e) => finish(new SafeFetchError("network", e.message)));
      });
      req.end(r.body);
    });
  }
}

function parseUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new SafeFetchError("invalid_url", "not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new SafeFetchError("forbidden_scheme", `${url.protocol} URLs are not fetched`);
  if (url.username || url.password) throw new SafeFetchError("invalid_url", "URLs with credentials are not fetched");
  return url;
}

function cleanHeaders(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (!DROPPED_HEADERS.has(k.toLowerCase())) out[k.toLowerCase()] = v;
  return out;
}

function flatHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** The fetcher as configured by OUTBOUND_ALLOW and OUTBOUND_DNS_SERVERS. */
export function safeFetcherFromConfig(config: {
  OUTBOUND_ALLOW: string;
  OUTBOUND_DNS_SERVERS: string;
  publicUrl: string;
}): SafeFetcher {
  return new SafeFetcher({
    allow: list(config.OUTBOUND_ALLOW),
    dnsServers: list(config.OUTBOUND_DNS_SERVERS),
    userAgent: `Ensemble/0.1 (+${config.publicUrl})`,
  });
}
