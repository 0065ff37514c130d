import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";

interface Response {
  description?: string;
  content?: Record<string, { schema?: unknown }>;
}
type Operation = { responses?: Record<string, Response>; security?: Record<string, unknown>[] };

/** The routes that go without a rate limit, each for a reason given where it is registered. */
const EXEMPT = ["GET /healthz", "GET /readyz", "GET /metrics"];

/** @fastify/swagger answers `200: Default Response`, without content, for a route that declares nothing. */
const declares = (op: Operation) =>
  Object.entries(op.responses ?? {}).some(
    ([status, r]) => status !== "200" || r.content !== undefined || r.description !== "Default Response",
  );

/** Objects with named properties that keep unknown ones: a presenter's extra field would go out. */
function looseObjects(schema: unknown, path = "(root)"): string[] {
  if (!schema || typeof schema !== "object") return [];
  const s = schema as Record<string, unknown>;
  const here = s.properties && s.additionalProperties !== false ? [path] : [];
  const nested = Object.entries(s).flatMap(([k, v]) =>
    Array.isArray(v) ? v.flatMap((x, i) => looseObjects(x, `${path}.${k}[${i}]`)) : looseObjects(v, `${path}.${k}`),
  );
  return [...here, ...nested];
}

describe("every route declares its response and its rate limit", () => {
  let s: TestServer;
  let paths: Record<string, Record<string, Operation>>;
  beforeAll(async () => {
    // The server's own module list: the kernel's modules and every service.
    s = await startTestServer();
    paths = (await s.client().get<{ paths: typeof paths }>("/api/openapi.json")).body.paths;
  });
  afterAll(async () => s.close());

  const operations = () =>
    Object.entries(paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ id: `${method.toUpperCase()} ${path}`, op })),
    );

  it("has a schema, no content (204) or a declared raw body for each operation", () => {
    expect(operations().length).toBeGreaterThan(60);
    const missing = operations()
      .filter(({ op }) => !declares(op))
      .map(({ id }) => id);
    expect(missing).toEqual([]);
  });

  it("publishes JSON answers as closed objects (unknown fields are dropped, so none is documented as kept)", () => {
    const loose = operations().flatMap(({ id, op }) =>
      Object.entries(op.responses ?? {}).flatMap(([status, r]) =>
        looseObjects(r.content?.["application/json"]?.schema).map((p) => `${id} ${status} ${p}`),
      ),
    );
    expect(loose).toEqual([]);
  });

  const id = (method: string, url: string) => `${method.toUpperCase()} ${url.replace(/:(\w+)/g, "{$1}")}`;

  it("walks every registered route: a limit of its own or the default, or an exemption with a reason", () => {
    const limits = s.app.rateLimits;
    expect(limits.length).toBeGreaterThan(60);
    for (const { method, url, limit } of limits) {
      const where = `${method} ${url}`;
      if ("exempt" in limit) expect(limit.exempt.trim(), where).not.toBe("");
      else {
        expect(limit.max, where).toBeGreaterThan(0);
        expect(limit.timeWindow, where).toBeTruthy();
      }
    }
    const exempt = limits.filter((l) => "exempt" in l.limit).map((l) => `${l.method} ${l.url}`);
    expect(exempt.sort()).toEqual([...EXEMPT].sort());
  });

  it("knows the limit of every published operation, counted per credential when it takes one", () => {
    const byId = new Map(s.app.rateLimits.map((l) => [id(l.method, l.url), l.limit]));
    const ops = Object.entries(paths).flatMap(([path, o]) =>
      Object.entries(o).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(ops.length).toBeGreaterThan(60);
    const unknown = ops.filter(({ key }) => !byId.has(key)).map(({ key }) => key);
    expect(unknown).toEqual([]);
    // Signed-in only operations never share one address's count between colleagues behind a NAT.
    const signedInByAddress = ops
      .filter(({ op }) => (op.security ?? []).length > 0 && !(op.security ?? []).some((x) => !Object.keys(x).length))
      .filter(({ key }) => {
        const limit = byId.get(key)!;
        return !("exempt" in limit) && limit.per === "address";
      })
      .map(({ key }) => key);
    expect(signedInByAddress).toEqual([]);
  });
});
