import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { sql, type SqlBool } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "@ensemble/testkit";
import { scopedIds, startScopeServer, type PoolUser } from "@ensemble/testkit/scope-actors";
import { Policy, resourceKind } from "../src/authz/policy.ts";
import type { Actor } from "../src/authz/actor.ts";
import { loadGroup } from "../src/accounts/groups.ts";
import { AccountRecordResource, GroupResource, InvitationResource, UserResource } from "../src/accounts/resources.ts";
import { AuditEntryResource } from "../src/audit/audit-policies.ts";
import { audit } from "../src/audit/audit.ts";

/**
 * `policy.scope(kind, actor)` is the SQL form of the kind's `read` rules: for
 * any actor and any set of rows, the ids a scoped query returns are exactly
 * those `policy.can(actor, kind, "read", row)` accepts — so list routes (which
 * filter through the scope) and per-row checks (which answer 404) cannot drift.
 * Generated worlds of groups and invitations, every kind of actor, on the
 * engine the suite runs on (SQLite, or PostgreSQL with ENSEMBLE_TEST_DB=postgres).
 */
let server: TestServer;
let pool: PoolUser[];
let actors: Actor[];
beforeAll(async () => ({ server, pool, actors } = await startScopeServer()));
afterAll(async () => server.close());

const world = fc.record({
  groups: fc.array(
    fc.uniqueArray(fc.record({ user: fc.nat({ max: 6 }), owner: fc.boolean() }), {
      selector: (m) => m.user,
      maxLength: 4,
    }),
    { maxLength: 4 },
  ),
  invitations: fc.array(fc.nat({ max: 6 }), { maxLength: 4 }),
});

describe("policy.scope agrees with policy.can", () => {
  it("for users, groups and invitations, whoever asks", async () => {
    const k = server.kernel;
    const poolIds = pool.map((u) => u.id);
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        const now = new Date().toISOString();
        const groupIds: string[] = [];
        for (const members of w.groups) {
          const id = randomUUID();
          groupIds.push(id);
          await k.db
            .insertInto("groups")
            .values({ id, name: `g-${id}`, description: "", created_by: poolIds[0]!, created_at: now, updated_at: now })
            .execute();
          for (const m of members)
            await k.db
              .insertInto("group_members")
              .values({ group_id: id, user_id: poolIds[m.user]!, role: m.owner ? "owner" : "member", created_at: now })
              .execute();
        }
        const invitationIds: string[] = [];
        for (const by of w.invitations) {
          const id = randomUUID();
          invitationIds.push(id);
          await k.db
            .insertInto("invitations")
            .values({
              id,
              token_hash: randomUUID(),
              created_by: poolIds[by]!,
              role: "member",
              group_id: null,
              email: null,
              expires_at: now,
              max_uses: 1,
              uses: 0,
              revoked_at: null,
              created_at: now,
            })
            .execute();
        }
        const userRows = await k.db.selectFrom("users").selectAll().where("id", "in", poolIds).execute();
        const invitationRows = invitationIds.length
          ? await k.db.selectFrom("invitations").selectAll().where("id", "in", invitationIds).execute()
          : [];
        try {
          for (const actor of actors) {
            const users = await scopedIds(k.db, "users", poolIds, k.policy.scope(UserResource, actor));
            const canUsers = [];
            for (const row of userRows) if (await k.policy.can(actor, UserResource, "read", row)) canUsers.push(row.id);
            expect(users, `users seen by ${label(actor)}`).toEqual(canUsers.sort());

            const groups = await scopedIds(k.db, "groups", groupIds, k.policy.scope(GroupResource, actor));
            const canGroups = [];
            for (const id of groupIds)
              if (await k.policy.can(actor, GroupResource, "read", (await loadGroup(k.db, id, actor))!))
                canGroups.push(id);
            expect(groups, `groups seen by ${label(actor)}`).toEqual(canGroups.sort());

            const invitations = await scopedIds(
              k.db,
              "invitations",
              invitationIds,
              k.policy.scope(InvitationResource, actor),
            );
            const canInvitations = [];
            for (const row of invitationRows)
              if (await k.policy.can(actor, InvitationResource, "read", row)) canInvitations.push(row.id);
            expect(invitations, `invitations seen by ${label(actor)}`).toEqual(canInvitations.sort());
          }
        } finally {
          // Each world on its own: the next one's user visibility does not inherit these groups.
          if (groupIds.length) await k.db.deleteFrom("group_members").where("group_id", "in", groupIds).execute();
        }
      }),
      { numRuns: 10 },
    );
  }, 120_000);
});

describe("policy.scope for administration's whole-table views", () => {
  it("the audit log and the account list: all rows to those the policy lets read one, none to the others", async () => {
    const k = server.kernel;
    const entryIds = [randomUUID(), randomUUID()];
    for (const id of entryIds) await audit(k.db, { id, actorId: pool[0]!.id, action: "scope.test" });
    const poolIds = pool.map((u) => u.id);
    const accounts = await k.db.selectFrom("users").selectAll().where("id", "in", poolIds).execute();
    let seeing = 0;
    for (const actor of actors) {
      const entries = await scopedIds(k.db, "audit_log", entryIds, k.policy.scope(AuditEntryResource, actor));
      const mayRead = await k.policy.can(actor, AuditEntryResource, "read", { id: entryIds[0]! });
      expect(entries, `audit seen by ${label(actor)}`).toEqual(mayRead ? [...entryIds].sort() : []);
      const listed = await scopedIds(k.db, "users", poolIds, k.policy.scope(AccountRecordResource, actor));
      const canList = [];
      for (const row of accounts)
        if (await k.policy.can(actor, AccountRecordResource, "read", row)) canList.push(row.id);
      expect(listed, `accounts listed for ${label(actor)}`).toEqual(canList.sort());
      if (mayRead) seeing++;
    }
    // Both outcomes occur among the actors (an administrator reads, a member does not).
    expect(seeing).toBeGreaterThan(0);
    expect(seeing).toBeLessThan(actors.length);
  });
});

describe("policy.scope", () => {
  const Door = resourceKind<{ id: string; owner: string }>()("door", ["read"]);
  const Unknown = resourceKind<{ id: string }>()("unknown", ["read"]);

  it("throws for a kind that declared no visibility (deny by default: a list is never unfiltered by omission)", () => {
    const p = new Policy().allow(Unknown, "read", () => true);
    expect(() => p.scope(Unknown, { kind: "anonymous" })).toThrow(/no visibility declared.*unknown/);
  });

  it("ORs several declarations, each on the caller's table alias", () => {
    const p = new Policy()
      .visibility(Door, (a, ref) => sql<SqlBool>`${ref("owner")} = ${a.kind === "user" ? a.id : ""}`)
      .visibility(Door, (_a, ref) => sql<SqlBool>`${ref("id")} = ${"open"}`);
    const q = server.kernel.db.selectFrom("users as d").select("d.id").where(p.scope(Door, actors[1]!)("d")).compile();
    expect(q.sql).toContain('("d"."owner" = ');
    expect(q.sql).toMatch(/ or "d"\."id" = .+\)/);
  });
});

const label = (a: Actor) => (a.kind === "user" ? `${a.role} ${a.username}${a.scopes ? " (token)" : ""}` : "anonymous");
