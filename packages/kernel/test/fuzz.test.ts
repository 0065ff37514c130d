import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { rawRequest, type RawResponse } from "./support/raw-request.ts";
import { snapshotTables } from "./support/db-snapshot.ts";
import {
  badAuthorization,
  badCookie,
  badCsrf,
  badPathValue,
  malformedBody,
  operationsOf,
  type Operation,
} from "./support/fuzz-inputs.ts";

/**
 * Property-based robustness: every operation published in /api/openapi.json
 * (so routes added later are covered without touching this file) receives
 * malformed bodies, headers and path values, as anonymous, as a signed-in
 * member and with a forged session. It must answer 4xx problem+json with a
 * stable code — never 5xx — and change no row.
 */

/**
 * Runs per operation: FUZZ_RUNS when set (for a long exploratory run), else a
 * total budget shared by the operations (at least 12, at most 40 each), so the
 * suite stays within its time bound as modules add routes.
 */
const runsPerOperation = (count: number) =>
  process.env.FUZZ_RUNS
    ? Number(process.env.FUZZ_RUNS)
    : Math.max(12, Math.min(40, Math.floor(3000 / Math.max(1, count))));

type Identity = "anonymous" | "member" | "forged-session";
/** What makes a request malformed for a given operation (at least one per request). */
type Defect = "body" | "params" | "authorization" | "session" | "csrf";

function defectsFor(op: Operation): Defect[] {
  const d: Defect[] = ["authorization"];
  if (op.body) d.push("body");
  if (op.params.length) d.push("params");
  if (op.requiresUser) d.push("session");
  if (op.requiresUser && op.method !== "GET" && !op.csrfExempt) d.push("csrf");
  return d;
}

interface Member {
  cookie: string;
  csrf: string;
}

describe("robustness: malformed input at every route", () => {
  let s: TestServer;
  let ops: Operation[];
  let member: Member;

  beforeAll(async () => {
    // Limits are raised so that inputs reach validation and handlers instead of stopping at 429.
    s = await startTestServer({
      env: {
        RATE_LIMIT_SIGNIN_PER_MIN: "1000000",
        RATE_LIMIT_PUBLIC_PER_MIN: "1000000",
        RATE_LIMIT_DEFAULT_PER_MIN: "1000000",
      },
    });
    const { client } = await s.signedIn();
    member = {
      cookie: `ensemble_session=${client.cookies.get("ensemble_session")}; ensemble_csrf=${client.cookies.get("ensemble_csrf")}`,
      csrf: client.cookies.get("ensemble_csrf")!,
    };
    const doc = await s.client().get("/api/openapi.json");
    expect(doc.status).toBe(200);
    ops = operationsOf(doc.body);
  });
  afterAll(async () => s?.close());

  /**
   * One well-formed read first: a GET may legitimately initialise something
   * on first use (joining the default channel, generating a key). The
   * property is about what malformed input changes, so that happens before
   * the "before" snapshot. Writes are never warmed up.
   */
  async function warmUp(op: Operation): Promise<void> {
    if (op.method !== "GET") return;
    const path = op.path.replace(/\{[^}]+\}/g, "01900000-0000-7000-8000-000000000000");
    await rawRequest(s.url, "GET", path, { cookie: member.cookie }, null);
    // With every query parameter present too, so that the handler (not only validation) has run once.
    if (op.query.length)
      await rawRequest(
        s.url,
        "GET",
        `${path}?${new URLSearchParams(op.query.map((q) => [q, "warm-up-value-0123456789"]))}`,
        { cookie: member.cookie },
        null,
      );
  }

  it("publishes the routes of the kernel", async () => {
    const names = ops.map((o) => `${o.method} ${o.path}`);
    expect(names).toEqual(expect.arrayContaining(["POST /api/auth/sign-in", "POST /api/auth/sign-out", "GET /api/me"]));
    // The row check sees the real tables of this engine (schema-scoped on PostgreSQL).
    const tables = Object.keys(await snapshotTables(s));
    expect(tables).toEqual(expect.arrayContaining(["users", "sessions"]));
  });

  it("answers every malformed request with 4xx problem+json and changes no row", { timeout: 120_000 }, async () => {
    const failures: string[] = [];
    for (const op of ops) {
      await warmUp(op);
      const before = await snapshotTables(s);
      const defects = defectsFor(op);
      const request = fc.record({
        identity: fc.constantFrom<Identity>("anonymous", "member", "forged-session"),
        defect: fc.constantFrom(...defects),
        // Extra, independent noise on top of the chosen defect.
        noiseAuthorization: fc.option(badAuthorization(), { freq: 6 }),
        noiseCsrf: fc.option(badCsrf(), { freq: 4 }),
        params: fc.tuple(...op.params.map(() => badPathValue())),
        body: malformedBody(op.body),
        authorization: badAuthorization(),
        forgedCookie: badCookie(),
        csrf: badCsrf(),
      });
      let lastProblem = "";
      try {
        await fc.assert(
          fc.asyncProperty(request, async (r) => {
            const identity: Identity =
              r.defect === "session" ? "forged-session" : r.defect === "csrf" ? "member" : r.identity;
            const headers: Record<string, string> = {};
            if (identity === "member") {
              headers.cookie = member.cookie;
              headers["x-csrf-token"] = r.defect === "csrf" ? r.csrf : member.csrf;
            } else if (identity === "forged-session") {
              headers.cookie = r.forgedCookie;
              headers["x-csrf-token"] = r.csrf;
            }
            if (r.defect === "authorization") headers.authorization = r.authorization;
            else if (r.noiseAuthorization !== null) headers.authorization = r.noiseAuthorization;
            if (identity !== "member" && r.noiseCsrf !== null) headers["x-csrf-token"] = r.noiseCsrf;
            const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
              const i = op.params.indexOf(name);
              // Without a path defect the id is well-formed (and names nothing), so that the body or headers are what gets refused.
              return r.defect === "params"
                ? encodeURIComponent(r.params[i] ?? "x")
                : "01900000-0000-7000-8000-000000000000";
            });
            const sendBody = op.method !== "GET" && op.body !== null;
            const res = await rawRequest(s.url, op.method, path, headers, sendBody ? r.body : null);
            lastProblem = explain(op, identity, r.defect, headers, sendBody ? r.body.text : null, res);
            return checkResponse(op, res);
          }),
          { numRuns: runsPerOperation(ops.length), endOnFailure: true },
        );
      } catch (e) {
        failures.push(`${op.method} ${op.path}: ${(e as Error).message.split("\n")[0]}\n    last: ${lastProblem}`);
      }
      const after = await snapshotTables(s);
      const changed = Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
      if (changed.length) failures.push(`${op.method} ${op.path}: rows changed in ${changed.join(", ")}`);
    }
    expect(failures).toEqual([]);
  });

  it("never fails on garbage query values, even from a signed-in member", { timeout: 120_000 }, async () => {
    // The member's session survived the malformed requests above, so these reach validation and handlers.
    expect((await rawRequest(s.url, "GET", "/api/me", { cookie: member.cookie }, null)).status).toBe(200);
    const failures: string[] = [];
    for (const op of ops.filter((o) => o.query.length > 0 && o.method === "GET")) {
      await warmUp(op);
      const before = await snapshotTables(s);
      let last = "";
      try {
        await fc.assert(
          fc.asyncProperty(fc.tuple(...op.query.map(() => fc.option(badPathValue(), { freq: 4 }))), async (values) => {
            const qs = new URLSearchParams();
            op.query.forEach((name, i) => {
              const v = values[i];
              if (v !== null && v !== undefined) qs.set(name, v);
            });
            const path = `${op.path.replace(/\{[^}]+\}/g, "01900000-0000-7000-8000-000000000000")}?${qs}`;
            const res = await rawRequest(
              s.url,
              op.method,
              path,
              { cookie: member.cookie, "x-csrf-token": member.csrf },
              null,
            );
            last = `GET ${path.slice(0, 200)} → ${res.status} ${res.text.slice(0, 200)}`;
            // Valid-looking values may legitimately succeed; what must never happen is a 5xx or an error that is not problem+json.
            return res.status < 400 ? res.status >= 200 : checkResponse(op, res);
          }),
          { numRuns: runsPerOperation(ops.length), endOnFailure: true },
        );
      } catch (e) {
        failures.push(`${op.method} ${op.path}: ${(e as Error).message.split("\n")[0]}\n    last: ${last}`);
      }
      const after = await snapshotTables(s);
      const changed = Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
      if (changed.length) failures.push(`${op.method} ${op.path}: rows changed in ${changed.join(", ")}`);
    }
    expect(failures).toEqual([]);
  });
});

/**
 * A refusal is 4xx problem+json with a stable code. A page opened by a person
 * in a browser (the Nextcloud grant page) may instead answer a readable HTML
 * page with the same 4xx status: never a 5xx, never an empty body.
 */
function checkResponse(op: Operation, res: RawResponse): boolean {
  if (res.status < 400 || res.status >= 500) return false;
  if (op.page && res.contentType.startsWith("text/html"))
    return /<h1[^>]*>[^<]+<\/h1>|<p[^>]*>[^<]+<\/p>/.test(res.text);
  if (!res.contentType.startsWith("application/problem+json")) return false;
  try {
    const body = JSON.parse(res.text) as { code?: unknown; status?: unknown };
    return typeof body.code === "string" && body.code.length > 0 && body.status === res.status;
  } catch {
    return false;
  }
}

function explain(
  op: Operation,
  identity: Identity,
  defect: Defect,
  headers: Record<string, string>,
  body: string | null,
  res: RawResponse,
): string {
  const shown = (v: string) => (v.length > 120 ? `${v.slice(0, 120)}…(${v.length} chars)` : v);
  return JSON.stringify({
    request: `${op.method} ${op.path}`,
    identity,
    defect,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, shown(v)])),
    body: body === null ? null : shown(body),
    status: res.status,
    response: shown(res.text),
  });
}
