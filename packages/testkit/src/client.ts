/**
 * A small HTTP client for black-box tests: keeps cookies like a browser,
 * echoes the CSRF cookie in the x-csrf-token header, and returns status,
 * headers and the parsed body.
 */
export interface TestResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export class TestClient {
  readonly baseUrl: string;
  readonly cookies = new Map<string, string>();
  /** Extra headers on every request (Authorization for token tests, user-agent, ...). */
  readonly headers: Record<string, string> = {};
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    /** `raw` may be a Node Buffer (file uploads): fetch sends it as bytes. */
    opts: { headers?: Record<string, string>; raw?: BodyInit | Buffer; csrf?: boolean } = {},
  ): Promise<TestResponse<T>> {
    const headers: Record<string, string> = { ...this.headers, ...opts.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const csrf = this.cookies.get("ensemble_csrf");
    if (csrf && opts.csrf !== false) headers["x-csrf-token"] = csrf;
    let payload = opts.raw as BodyInit | undefined;
    if (body !== undefined && payload === undefined) {
      headers["content-type"] ??= "application/json";
      payload = JSON.stringify(body);
    }
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body: payload ?? null,
      redirect: "manual",
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === "" || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let parsed: unknown = text;
    if (text && (res.headers.get("content-type") ?? "").includes("json")) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  get<T = Record<string, unknown>>(path: string, opts?: Parameters<TestClient["request"]>[3]) {
    return this.request<T>("GET", path, undefined, opts);
  }
  post<T = Record<string, unknown>>(path: string, body?: unknown, opts?: Parameters<TestClient["request"]>[3]) {
    return this.request<T>("POST", path, body ?? {}, opts);
  }
  patch<T = Record<string, unknown>>(path: string, body?: unknown, opts?: Parameters<TestClient["request"]>[3]) {
    return this.request<T>("PATCH", path, body ?? {}, opts);
  }
  put<T = Record<string, unknown>>(path: string, body?: unknown, opts?: Parameters<TestClient["request"]>[3]) {
    return this.request<T>("PUT", path, body ?? {}, opts);
  }
  delete<T = Record<string, unknown>>(path: string, opts?: Parameters<TestClient["request"]>[3]) {
    return this.request<T>("DELETE", path, undefined, opts);
  }
}
