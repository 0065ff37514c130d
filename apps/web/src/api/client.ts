import { csrfCookie } from "@ensemble/ui";

/** A problem+json answer from the API; `code` is what the UI translates. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: { path: string; message: string }[];
  constructor(status: number, code: string, detail: string, errors: { path: string; message: string }[] = []) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
}

/**
 * Whether the last call reached the server. The browser's own online flag
 * misses a server that is down or a network that drops packets.
 */
let unreachable = false;
const reachListeners = new Set<() => void>();
let probe: ReturnType<typeof setTimeout> | null = null;

function setUnreachable(next: boolean): void {
  if (next === unreachable) return;
  unreachable = next;
  reachListeners.forEach((fn) => fn());
  if (next) scheduleProbe(2_000);
}

// While the server cannot be reached, check back with a growing delay (never while it answers).
function scheduleProbe(delay: number): void {
  if (probe) return;
  probe = setTimeout(() => {
    probe = null;
    fetch("/healthz", { cache: "no-store" }).then(
      () => setUnreachable(false),
      () => scheduleProbe(Math.min(delay * 2, 30_000)),
    );
  }, delay);
}

export const serverReachability = {
  subscribe(fn: () => void): () => void {
    reachListeners.add(fn);
    return () => reachListeners.delete(fn);
  },
  unreachable: () => unreachable,
};

/**
 * Calls the API on our own origin. Every write carries the CSRF token read
 * from its cookie (double submit); errors become ApiError with the problem's code.
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (method !== "GET" && method !== "HEAD") {
    const token = csrfCookie();
    if (token) headers["x-csrf-token"] = token;
  }
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body instanceof Blob) {
    headers["content-type"] = body.type || "application/octet-stream";
    payload = body;
  } else if (body !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload ?? null, credentials: "same-origin" });
  } catch {
    setUnreachable(true);
    throw new ApiError(0, "network", "the server cannot be reached");
  }
  setUnreachable(false);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (!res.ok) {
    const p = (data ?? {}) as {
      code?: string;
      detail?: string;
      title?: string;
      errors?: { path: string; message: string }[];
    };
    throw new ApiError(
      res.status,
      p.code ?? (res.status === 404 ? "not_found" : "internal"),
      p.detail ?? p.title ?? res.statusText,
      p.errors ?? [],
    );
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const get = <T>(path: string) => api<T>("GET", path);
export const post = <T>(path: string, body: unknown = {}) => api<T>("POST", path, body);
export const patch = <T>(path: string, body: unknown = {}) => api<T>("PATCH", path, body);
export const del = <T>(path: string) => api<T>("DELETE", path);
