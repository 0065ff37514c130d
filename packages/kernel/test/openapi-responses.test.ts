import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";

interface Response {
  description?: string;
  content?: Record<string, { schema?: unknown }>;
}
type Operation = { responses?: Record<string, Response> };

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

describe("every operation of the API declares its response", () => {
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
});
