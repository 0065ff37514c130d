import { randomUUID } from "node:crypto";
import { sql, type QueryExecutorProvider } from "kysely";
import type { Actor, Role, RowScope, UserActor } from "@ensemble/kernel";
import { startTestServer, type TestServer } from "./test-server.ts";

export interface PoolUser {
  id: string;
  username: string;
  role: Role;
}

/**
 * Every kind of actor a visibility must agree on, from a pool of users: each
 * one with a browser session, the first member again through a read-only app
 * token (scopes narrow what a token may do, never what it may see), and the
 * anonymous visitor.
 */
export function scopeActors(pool: readonly PoolUser[]): Actor[] {
  const asActor = (u: PoolUser, scopes: UserActor["scopes"] = null): UserActor => ({
    kind: "user",
    id: u.id,
    username: u.username,
    role: u.role,
    scopes,
    sessionId: null,
    tokenId: null,
  });
  const out: Actor[] = pool.map((u) => asActor(u));
  const member = pool.find((u) => u.role === "member");
  if (member) out.push(asActor(member, ["read"]));
  out.push({ kind: "anonymous" });
  return out;
}

/**
 * The users a scope test asks as: an admin, three members, two guests, and a
 * deactivated member (still a row of the directory, still an actor of the rules).
 */
export async function scopePool(server: TestServer): Promise<PoolUser[]> {
  const roles: Role[] = ["admin", "member", "member", "member", "guest", "guest"];
  const pool: PoolUser[] = [];
  for (const role of roles) pool.push({ ...(await server.createUser({ role })), role });
  const gone = { ...(await server.createUser({ role: "member" })), role: "member" as const };
  await server.kernel.db.updateTable("users").set({ deactivated: 1 }).where("id", "=", gone.id).execute();
  pool.push(gone);
  return pool;
}

/**
 * A group whose members are pool users with their roles, written to the
 * kernel's tables as the testkit does for users: a property test makes many
 * per run, and modules may not write kernel tables themselves.
 */
export async function scopeGroup(
  server: TestServer,
  pool: readonly PoolUser[],
  members: readonly { user: number; role: "owner" | "member" }[],
): Promise<string> {
  const id = randomUUID();
  const now = new Date().toISOString();
  const db = server.kernel.db;
  await db
    .insertInto("groups")
    .values({ id, name: `g-${id}`, description: "", created_by: pool[0]!.id, created_at: now, updated_at: now })
    .execute();
  for (const m of members)
    await db
      .insertInto("group_members")
      .values({ group_id: id, user_id: pool[m.user]!.id, role: m.role, created_at: now })
      .execute();
  return id;
}

export interface ScopeServer {
  server: TestServer;
  pool: PoolUser[];
  /** `scopeActors(pool)`: everyone a scope must agree with `can` for. */
  actors: Actor[];
}

/** A test server with its pool of users and the actors made of them. */
export async function startScopeServer(): Promise<ScopeServer> {
  const server = await startTestServer();
  const pool = await scopePool(server);
  return { server, pool, actors: scopeActors(pool) };
}

/** The ids among `ids` of `table` a scope lets through (sorted), in one statement. */
export async function scopedIds(
  db: QueryExecutorProvider,
  table: string,
  ids: readonly string[],
  scope: RowScope,
): Promise<string[]> {
  if (!ids.length) return [];
  const { rows } = await sql<{ id: string }>`select t.id from ${sql.table(table)} t where t.id in (${sql.join(
    ids,
  )}) and ${scope("t")}`.execute(db);
  return rows.map((r) => r.id).sort();
}
