import { createSession, CSRF_COOKIE, SESSION_COOKIE } from "@ensemble/kernel/testing";
import { TestClient } from "./client.ts";
import type { TestServer } from "./test-server.ts";

/**
 * Expected outcome of one actor × action cell:
 * `allow` = any 2xx, `hidden` = 404, `deny` = 403, `auth` = 401.
 */
export type Outcome = "allow" | "hidden" | "deny" | "auth";

/** Actors every matrix has; `owner` is the resource's owner, creator or the user themself. */
export type BaseActor = "anonymous" | "guest" | "member" | "owner" | "admin";

export interface MatrixUser {
  id: string;
  username: string;
  client: TestClient;
}

export interface MatrixRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  body?: unknown;
}

/** What the fixture of every cell receives. */
export interface MatrixContext {
  server: TestServer;
  /** The shared actors (one each per matrix run). */
  admin: MatrixUser;
  member: MatrixUser;
  guest: MatrixUser;
  /** A new user with a signed-in client, for owners and resource-specific actors. */
  newUser(role?: "admin" | "member" | "guest"): Promise<MatrixUser>;
}

/** A fixture returns the ids the requests need, plus the clients of resource-specific actors. */
export interface Fixture<X extends string> {
  actors: Record<"owner" | X, TestClient>;
}

export interface MatrixRow<F, X extends string> {
  action: string;
  request: (fixture: F) => MatrixRequest;
  /** NoInfer: the actor names come from `extraActors`, never from a row's keys. */
  expect: Record<BaseActor | NoInfer<X>, Outcome>;
}

export interface MatrixSpec<F extends Fixture<X>, X extends string = never> {
  /** Resource type, as named in the failure table. */
  resource: string;
  /** Names of resource-specific actors (e.g. `groupMember`), in table column order. */
  extraActors?: readonly X[];
  /**
   * Sets up a fresh resource. Called once per cell, so that mutating actions
   * (delete, revoke) never see each other's effects.
   */
  setup: (ctx: MatrixContext) => Promise<F>;
  rows: readonly MatrixRow<F, X>[];
}

export interface CellResult {
  action: string;
  actor: string;
  expected: Outcome;
  status: number;
  got: Outcome | "other";
  code: string | undefined;
}

const statusOf: Record<Outcome, (s: number) => boolean> = {
  allow: (s) => s >= 200 && s < 300,
  hidden: (s) => s === 404,
  deny: (s) => s === 403,
  auth: (s) => s === 401,
};

function classify(status: number): Outcome | "other" {
  for (const [o, test] of Object.entries(statusOf)) if (test(status)) return o as Outcome;
  return "other";
}

/**
 * A signed-in client without going through /api/auth/sign-in: matrices
 * create many users, and the sign-in route is (rightly) rate limited.
 */
export async function sessionClient(server: TestServer, userId: string): Promise<TestClient> {
  const session = await createSession(server.kernel.db, userId, { userAgent: "matrix", ip: "127.0.0.1" }, 1);
  const client = server.client();
  client.cookies.set(SESSION_COOKIE, session.token);
  client.cookies.set(CSRF_COOKIE, session.csrfToken);
  return client;
}

export async function matrixUser(
  server: TestServer,
  role: "admin" | "member" | "guest" = "member",
): Promise<MatrixUser> {
  const u = await server.createUser({ role });
  return { id: u.id, username: u.username, client: await sessionClient(server, u.id) };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

/** The whole matrix, with mismatching cells shown as `expected≠got(status code)`. */
export function formatMatrix(resource: string, actors: readonly string[], results: readonly CellResult[]): string {
  const actions = [...new Set(results.map((r) => r.action))];
  const cell = (action: string, actor: string): string => {
    const r = results.find((x) => x.action === action && x.actor === actor);
    if (!r) return "-";
    if (r.got === r.expected) return r.expected;
    return `✗ ${r.expected}≠${r.got}(${r.status}${r.code ? ` ${r.code}` : ""})`;
  };
  const header = [`${resource} action`, ...actors];
  const body = actions.map((a) => [a, ...actors.map((actor) => cell(a, actor))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cols: string[]) => cols.map((c, i) => pad(c, widths[i]!)).join(" | ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...body.map(line)].join("\n");
}

/**
 * Runs every actor × action cell against the real HTTP API and throws one
 * error listing every mismatch and the full table when any cell disagrees.
 */
export async function runMatrix<F extends Fixture<X>, X extends string = never>(
  server: TestServer,
  spec: MatrixSpec<F, X>,
): Promise<CellResult[]> {
  const [admin, member, guest] = await Promise.all([
    matrixUser(server, "admin"),
    matrixUser(server, "member"),
    matrixUser(server, "guest"),
  ]);
  const ctx: MatrixContext = { server, admin, member, guest, newUser: (role) => matrixUser(server, role) };
  const actors: (BaseActor | X)[] = ["anonymous", "guest", "member", "owner", "admin", ...(spec.extraActors ?? [])];
  const results: CellResult[] = [];
  for (const row of spec.rows) {
    for (const actor of actors) {
      const fixture = await spec.setup(ctx);
      const client = clientFor(actor, ctx, fixture);
      const req = row.request(fixture);
      const res = await client.request(
        req.method,
        req.path,
        req.body ?? (req.method === "GET" || req.method === "DELETE" ? undefined : {}),
      );
      const body = res.body as { code?: unknown } | undefined;
      const code = body && typeof body === "object" && typeof body.code === "string" ? body.code : undefined;
      const expected = row.expect[actor];
      results.push({ action: row.action, actor, expected, status: res.status, got: classify(res.status), code });
    }
  }
  const bad = results.filter((r) => r.got !== r.expected);
  if (bad.length) {
    const list = bad.map(
      (r) => `  ${r.actor} × ${r.action}: expected ${r.expected}, got ${r.status}${r.code ? ` (${r.code})` : ""}`,
    );
    throw new Error(
      `${spec.resource} authorization matrix: ${bad.length} mismatch(es)\n${list.join("\n")}\n\n${formatMatrix(spec.resource, actors, results)}\n`,
    );
  }
  return results;
}

function clientFor<X extends string>(actor: BaseActor | X, ctx: MatrixContext, fixture: Fixture<X>): TestClient {
  switch (actor) {
    case "anonymous":
      return ctx.server.client();
    case "guest":
      return ctx.guest.client;
    case "member":
      return ctx.member.client;
    case "admin":
      return ctx.admin.client;
    default:
      return fixture.actors[actor as "owner" | X];
  }
}
