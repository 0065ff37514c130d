import fc from "fast-check";

/** The subset of JSON Schema the generators look at. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  maxLength?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

export interface Operation {
  method: string;
  /** OpenAPI path template, e.g. /api/me/tokens/{id} */
  path: string;
  params: string[];
  /** Declared query-string parameters. */
  query: string[];
  /** The JSON body schema when it constrains anything, else null (the body is then not an input). */
  body: JsonSchema | null;
  requiresUser: boolean;
  csrfExempt: boolean;
  /** A page for a person in a browser (documented as text/html only): its errors are readable pages too. */
  page: boolean;
}

interface OpenApiOperation {
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: Record<string, unknown>[];
  "x-csrf-exempt"?: boolean;
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

export function operationsOf(doc: unknown): Operation[] {
  const paths = (doc as { paths?: Record<string, Partial<Record<string, OpenApiOperation>>> }).paths ?? {};
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    for (const m of METHODS) {
      const op = item[m];
      if (!op) continue;
      const schema = op.requestBody?.content?.["application/json"]?.schema ?? null;
      ops.push({
        method: m.toUpperCase(),
        path,
        params: (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name),
        query: (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
        body: schema && typesOf(schema) ? schema : null,
        requiresUser:
          Array.isArray(op.security) && op.security.length > 0 && op.security.every((s) => Object.keys(s).length > 0),
        csrfExempt: op["x-csrf-exempt"] === true,
        page: isPage(op),
      });
    }
  }
  return ops;
}

function isPage(op: OpenApiOperation): boolean {
  const types = Object.values(op.responses ?? {}).flatMap((r) => Object.keys(r.content ?? {}));
  return types.length > 0 && types.every((t) => t === "text/html");
}

const jsonType = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v;

/** The JSON types a schema accepts, or null when it accepts anything. */
export function typesOf(s: JsonSchema): Set<string> | null {
  if (s.type) return new Set(Array.isArray(s.type) ? s.type : [s.type]);
  if (s.enum) return new Set(s.enum.map(jsonType));
  if ("const" in s) return new Set([jsonType(s.const)]);
  const alts = s.anyOf ?? s.oneOf;
  if (alts) {
    const all = new Set<string>();
    for (const a of alts) {
      const t = typesOf(a);
      if (!t) return null;
      for (const x of t) all.add(x);
    }
    return all;
  }
  return null;
}

/** Header-safe text (node:http refuses control characters): printable ASCII and Latin-1. */
const headerChar = fc
  .oneof(
    { weight: 9, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 1, arbitrary: fc.integer({ min: 0xa0, max: 0xff }) },
  )
  .map((c) => String.fromCharCode(c));
const headerText = (maxLength = 120) => fc.string({ unit: headerChar, minLength: 1, maxLength });
const b64 = (s: string) => Buffer.from(s, "latin1").toString("base64");

export function badAuthorization(): fc.Arbitrary<string> {
  const t = headerText();
  return fc.oneof(
    t.map((x) => `Bearer ${x}`),
    t.map((x) => `Bearer ens_${x}`),
    fc.tuple(t, t).map(([u, x]) => `Basic ${b64(`${u}:ens_${x}`)}`),
    t.map((x) => `Basic ${b64(x)}`),
    t.map((x) => `Basic ${x}`),
    t.map((x) => `Digest ${x}`),
    t,
    fc.constantFrom("Bearer", "Basic", "Bearer ", "Basic Og==", "Basic ====", "Bearer ens_", "Negotiate YII="),
  );
}

export function badCookie(): fc.Arbitrary<string> {
  const t = headerText().map((x) => x.replaceAll(";", ""));
  return fc.oneof(
    t.map((x) => `ensemble_session=${x}`),
    fc.tuple(t, t).map(([a, b]) => `ensemble_session=${a}; ensemble_csrf=${b}`),
    t.map((x) => `ensemble_session=${encodeURIComponent(x)}`),
    headerText(),
    fc.constantFrom(
      "ensemble_session=",
      "ensemble_session=%",
      "ensemble_session=%E0%A4%A",
      "=; =;",
      'ensemble_session="unterminated',
    ),
  );
}

export const badCsrf = (): fc.Arbitrary<string> => fc.oneof(headerText(), fc.constant(" "));

const SQLISH = [
  "' OR '1'='1",
  "1; DROP TABLE users; --",
  '" OR 1=1 --',
  "1' UNION SELECT password_hash FROM users --",
  "%",
  "_",
  "..",
  "../../etc/passwd",
  "null",
  "undefined",
  "0",
  "-1",
  "1e309",
  "NaN",
  "__proto__",
  "constructor",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
];

/** Non-UUIDs, SQL-ish strings, unicode, very long values and well-formed ids of nothing. */
export function badPathValue(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...SQLISH),
    fc.string({ minLength: 1, maxLength: 40 }),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }),
    // Below Node's 16 KiB header limit, above Fastify's 100-character parameter limit.
    fc.string({ minLength: 101, maxLength: 4000 }),
    fc.uuid(),
  );
}

// ---- bodies -----------------------------------------------------------------

export interface RawBody {
  text: string;
  contentType: string | null;
}

const json =
  (contentType = "application/json") =>
  (text: string): RawBody => ({ text, contentType });

const deepArray = fc.integer({ min: 100, max: 5000 }).map((d) => "[".repeat(d) + "]".repeat(d));
const deepObject = fc.integer({ min: 100, max: 3000 }).map((d) => '{"a":'.repeat(d) + "1" + "}".repeat(d));

/** JSON text fragments of each type, to put where another type is expected. */
const fragments: Record<string, fc.Arbitrary<string>> = {
  string: fc.string({ maxLength: 50 }).map((x) => JSON.stringify(x)),
  number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })).map((x) => JSON.stringify(x)),
  boolean: fc.boolean().map(String),
  null: fc.constant("null"),
  array: fc.oneof(
    fc.array(fc.integer(), { maxLength: 3 }).map((x) => JSON.stringify(x)),
    deepArray,
  ),
  object: fc.oneof(
    fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }).map((x) => JSON.stringify(x)),
    deepObject,
  ),
};

function wrongFragment(types: Set<string>): fc.Arbitrary<string> | null {
  const numeric = types.has("number") || types.has("integer");
  const options = Object.entries(fragments)
    .filter(([t]) => !types.has(t) && !(t === "number" && numeric))
    .map(([, a]) => a);
  return options.length ? fc.oneof(...options) : null;
}

const INVALID_JSON = [
  "{",
  "}",
  '{"a":',
  "[1,2",
  "'x'",
  "{a:1}",
  "nul",
  "tru",
  '{"a":1,}',
  "\u0000",
  '{"a":"\\u12"}',
  "1 2",
  '"unterminated',
];

const notJson = (t: string) => {
  try {
    JSON.parse(t);
    return false;
  } catch {
    return true;
  }
};

/** Bodies the schema must refuse: invalid JSON, wrong types, too long, deep, empty, wrong content type. */
export function malformedBody(schema: JsonSchema | null): fc.Arbitrary<RawBody> {
  const types = schema ? typesOf(schema) : null;
  const variants: fc.Arbitrary<RawBody>[] = [
    fc.constantFrom(...INVALID_JSON).map(json()),
    fc.string({ minLength: 1, maxLength: 60 }).filter(notJson).map(json()),
    fc.constant({ text: "", contentType: "application/json" }),
    fc.constant({ text: "", contentType: null }),
    fc.string({ maxLength: 60 }).map(json("application/octet-stream")),
    fc.string({ maxLength: 60 }).map(json("application/xml")),
    fc.string({ maxLength: 60 }).map(json("multipart/form-data; boundary=x")),
    // Over the 1 MiB body limit.
    fc.constant(`{"x":"${"x".repeat(1_100_000)}"}`).map(json()),
  ];
  if (types && !types.has("string")) variants.push(fc.string({ minLength: 1, maxLength: 60 }).map(json("text/plain")));
  const top = types ? wrongFragment(types) : null;
  if (top) variants.push(top.map(json()));
  const props = Object.entries(schema?.properties ?? {});
  for (const [name, p] of props) {
    const key = JSON.stringify(name);
    const pt = typesOf(p);
    const wrong = pt ? wrongFragment(pt) : null;
    if (wrong) variants.push(wrong.map((v) => json()(`{${key}:${v}}`)));
    if (p.maxLength !== undefined) {
      const max = p.maxLength;
      variants.push(
        fc.integer({ min: 1, max: 2000 }).map((extra) => json()(`{${key}:${JSON.stringify("x".repeat(max + extra))}}`)),
      );
    }
    if (p.enum) {
      const allowed = new Set(p.enum);
      variants.push(
        fc
          .string({ maxLength: 20 })
          .filter((x) => !allowed.has(x))
          .map((x) => json()(`{${key}:${JSON.stringify(x)}}`)),
      );
    }
  }
  return fc.oneof(...variants);
}
