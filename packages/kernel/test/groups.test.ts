import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realtimeClient, startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";
import { matrixUser, runMatrix, type MatrixContext } from "@ensemble/testkit/matrix";

interface Group {
  id: string;
  name: string;
  description: string;
  memberCount: number;
  viewerRole: "owner" | "member" | null;
  members?: { user: { id: string; username: string }; role: string }[];
}

async function createGroup(
  client: TestClient,
  name = `Équipe ${Math.random().toString(36).slice(2, 7)}`,
): Promise<Group> {
  const r = await client.post<Group>("/api/groups", { name, description: "une équipe" });
  if (r.status !== 201) throw new Error(`group creation failed: ${r.status} ${r.text}`);
  return r.body;
}

describe("groups", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s.close());

  /** A group owned by a fresh member, with one plain member besides. */
  async function groupFixture(ctx: MatrixContext) {
    const owner = await ctx.newUser("member");
    const groupMember = await ctx.newUser("member");
    const outsider = await ctx.newUser("member");
    const g = await createGroup(owner.client);
    await owner.client.post(`/api/groups/${g.id}/members`, { userId: groupMember.id });
    return {
      id: g.id,
      memberId: groupMember.id,
      outsiderId: outsider.id,
      actors: { owner: owner.client, groupMember: groupMember.client },
    };
  }

  it("enforces the actor × action matrix", async () => {
    await runMatrix(s, {
      resource: "group",
      extraActors: ["groupMember"] as const,
      setup: groupFixture,
      rows: [
        {
          action: "create",
          request: () => ({ method: "POST", path: "/api/groups", body: { name: "Nouvelle équipe" } }),
          expect: {
            anonymous: "auth",
            guest: "deny",
            member: "allow",
            owner: "allow",
            admin: "allow",
            groupMember: "allow",
          },
        },
        {
          action: "list",
          request: () => ({ method: "GET", path: "/api/groups" }),
          expect: {
            anonymous: "auth",
            guest: "allow",
            member: "allow",
            owner: "allow",
            admin: "allow",
            groupMember: "allow",
          },
        },
        {
          action: "read",
          request: (f) => ({ method: "GET", path: `/api/groups/${f.id}` }),
          expect: {
            anonymous: "auth",
            guest: "hidden",
            member: "allow",
            owner: "allow",
            admin: "allow",
            groupMember: "allow",
          },
        },
        {
          action: "update",
          request: (f) => ({ method: "PATCH", path: `/api/groups/${f.id}`, body: { name: "Renommée" } }),
          expect: {
            anonymous: "auth",
            guest: "hidden",
            member: "deny",
            owner: "allow",
            admin: "allow",
            groupMember: "deny",
          },
        },
        {
          action: "add_member",
          request: (f) => ({ method: "POST", path: `/api/groups/${f.id}/members`, body: { userId: f.outsiderId } }),
          expect: {
            anonymous: "auth",
            guest: "hidden",
            member: "deny",
            owner: "allow",
            admin: "allow",
            groupMember: "deny",
          },
        },
        {
          action: "set_member_role",
          request: (f) => ({
            method: "PATCH",
            path: `/api/groups/${f.id}/members/${f.memberId}`,
            body: { role: "owner" },
          }),
          expect: {
            anonymous: "auth",
            guest: "hidden",
            member: "deny",
            owner: "allow",
            admin: "allow",
            groupMember: "deny",
          },
        },
        {
          action: "remove_member",
          request: (f) => ({ method: "DELETE", path: `/api/groups/${f.id}/members/${f.memberId}` }),
          // The group member removing themself is leaving, which anyone may do.
          expect: {
            anonymous: "auth",
            guest: "hidden",
            member: "deny",
            owner: "allow",
            admin: "allow",
            groupMember: "allow",
          },
        },
        {
          action: "delete",
          request: (f) => ({ method: "DELETE", path: `/api/groups/${f.id}` }),
          expect: {
            anonymous: "auth",
            guest: "hidden",
            member: "deny",
            owner: "allow",
            admin: "allow",
            groupMember: "deny",
          },
        },
      ],
    });
  });

  it("creates a group whose creator is its owner, and shows its members", async () => {
    const owner = await matrixUser(s);
    const other = await matrixUser(s);
    const g = await createGroup(owner.client, "Voirie");
    expect(g).toMatchObject({ name: "Voirie", description: "une équipe", memberCount: 1, viewerRole: "owner" });
    expect((await owner.client.post(`/api/groups/${g.id}/members`, { userId: other.id })).status).toBe(201);
    const r = await other.client.get<Group>(`/api/groups/${g.id}`);
    expect(r.status).toBe(200);
    expect(r.body.viewerRole).toBe("member");
    expect(r.body.members?.map((m) => [m.user.username, m.role]).sort()).toEqual(
      [
        [owner.username, "owner"],
        [other.username, "member"],
      ].sort(),
    );
    const events = await s.kernel.db
      .withTables<{ events: { name: string; resources: string } }>()
      .selectFrom("events")
      .select(["name", "resources"])
      .where("resources", "like", `%${g.id}%`)
      .execute();
    expect(events.map((e) => e.name).sort()).toEqual(["accounts.group.created", "accounts.group_member.added"]);
    // Presenters list their fields: no e-mail or password hash in member entries.
    expect(Object.keys(r.body.members![0]!.user).sort()).toEqual([
      "avatarUrl",
      "deactivated",
      "displayName",
      "id",
      "role",
      "statusMessage",
      "username",
    ]);
  });

  it("pages through a group's members", async () => {
    const owner = await matrixUser(s);
    const g = await createGroup(owner.client);
    const added = [owner.id];
    for (let i = 0; i < 4; i++) {
      const u = await s.createUser();
      added.push(u.id);
      expect((await owner.client.post(`/api/groups/${g.id}/members`, { userId: u.id })).status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { user: { id: string } }[]; next: string | null } } =
        await owner.client.get(`/api/groups/${g.id}/members?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((m) => m.user.id));
      cursor = page.body.next;
    } while (cursor);
    expect(seen.sort()).toEqual(added.sort());
    const whole = await owner.client.get<Group & { membersNext: string | null }>(`/api/groups/${g.id}`);
    expect(whole.body).toMatchObject({ memberCount: 5, membersNext: null });
    expect((await s.client().get(`/api/groups/${g.id}/members`)).status).toBe(401);
    expect((await (await matrixUser(s, "guest")).client.get(`/api/groups/${g.id}/members`)).status).toBe(404);
  });

  it("streams a group's changes on group:<id> to its readers, and drops a removed guest at once", async () => {
    const owner = await matrixUser(s);
    const guest = await matrixUser(s, "guest");
    const outsider = await matrixUser(s, "guest");
    const g = await createGroup(owner.client);
    await owner.client.post(`/api/groups/${g.id}/members`, { userId: guest.id });

    const socket = realtimeClient(s.url, guest.client);
    const other = realtimeClient(s.url, outsider.client);
    try {
      const names: string[] = [];
      const refused: string[] = [];
      const sub = socket.subscribe(`group:${g.id}`, {
        onEvent: (e) => names.push(e.name),
        onRefused: (r) => refused.push(r),
      });
      await sub.ready;
      const outsiderRefused: string[] = [];
      other.subscribe(`group:${g.id}`, { onEvent: () => {}, onRefused: (r) => outsiderRefused.push(r) });
      await waitFor(() => outsiderRefused.length > 0, "the outsider's refusal");
      expect(outsiderRefused).toEqual(["forbidden"]);

      await owner.client.patch(`/api/groups/${g.id}`, { name: "Renommée en direct" });
      await waitFor(() => names.includes("accounts.group.updated"), "accounts.group.updated");
      expect((await owner.client.delete(`/api/groups/${g.id}/members/${guest.id}`)).status).toBe(204);
      await waitFor(() => refused.includes("revoked"), "the removed guest's subscription revoked");
    } finally {
      socket.close();
      other.close();
    }
  });

  it("always keeps at least one owner", async () => {
    const owner = await matrixUser(s);
    const other = await matrixUser(s);
    const g = await createGroup(owner.client);
    const demote = await owner.client.patch(`/api/groups/${g.id}/members/${owner.id}`, { role: "member" });
    expect(demote.status).toBe(409);
    expect((await owner.client.delete(`/api/groups/${g.id}/members/${owner.id}`)).status).toBe(409);
    await owner.client.post(`/api/groups/${g.id}/members`, { userId: other.id, role: "owner" });
    expect((await owner.client.patch(`/api/groups/${g.id}/members/${owner.id}`, { role: "member" })).status).toBe(200);
    // Now the other is the only owner: concurrent attempts to remove them both fail.
    const both = await Promise.all([
      other.client.patch(`/api/groups/${g.id}/members/${other.id}`, { role: "member" }),
      other.client.delete(`/api/groups/${g.id}/members/${other.id}`),
    ]);
    expect(both.map((r) => r.status)).toEqual([409, 409]);
    const after = await other.client.get<Group>(`/api/groups/${g.id}`);
    expect(after.body.members?.filter((m) => m.role === "owner").map((m) => m.user.id)).toEqual([other.id]);
  });

  it("two owners demoting each other at once leave one owner", async () => {
    const a = await matrixUser(s);
    const b = await matrixUser(s);
    const g = await createGroup(a.client);
    await a.client.post(`/api/groups/${g.id}/members`, { userId: b.id, role: "owner" });
    const rs = await Promise.all([
      a.client.patch(`/api/groups/${g.id}/members/${b.id}`, { role: "member" }),
      b.client.patch(`/api/groups/${g.id}/members/${a.id}`, { role: "member" }),
    ]);
    // The loser is refused either as no longer an owner (403) or as the last owner (409).
    const statuses = rs.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const after = await a.client.get<Group>(`/api/groups/${g.id}`);
    expect(after.body.members?.filter((m) => m.role === "owner")).toHaveLength(1);
  });

  it("lists all groups to members, only their own to guests, with search and cursor pagination", async () => {
    const owner = await matrixUser(s);
    const guest = await matrixUser(s, "guest");
    const tag = Math.random().toString(36).slice(2, 7);
    const names = ["Alpha", "Bêta", "Gamma", "Delta", "Epsilon"].map((n) => `${n} ${tag}`);
    const groups = [];
    for (const n of names) groups.push(await createGroup(owner.client, n));
    await owner.client.post(`/api/groups/${groups[1]!.id}/members`, { userId: guest.id });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Group[]; next: string | null } } = await owner.client.get(
        `/api/groups?q=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((g) => g.name));
      cursor = page.body.next;
    } while (cursor);
    expect(seen).toEqual([...names].sort());

    const accent = await owner.client.get<{ items: Group[] }>(`/api/groups?q=${encodeURIComponent(`BETA ${tag}`)}`);
    expect(accent.body.items.map((g) => g.name)).toEqual([`Bêta ${tag}`]);

    const mine = await guest.client.get<{ items: Group[] }>("/api/groups");
    expect(mine.body.items.map((g) => g.id)).toEqual([groups[1]!.id]);
    expect(mine.body.items[0]).toMatchObject({ viewerRole: "member", memberCount: 2 });
  });

  it("follows the membersCanCreateGroups setting", async () => {
    const admin = await matrixUser(s, "admin");
    const member = await matrixUser(s);
    expect((await admin.client.patch("/api/admin/settings", { membersCanCreateGroups: false })).status).toBe(200);
    try {
      const r = await member.client.post("/api/groups", { name: "Interdite" });
      expect(r.status).toBe(403);
      expect((await admin.client.post("/api/groups", { name: "Permise" })).status).toBe(201);
    } finally {
      await admin.client.patch("/api/admin/settings", { membersCanCreateGroups: true });
    }
    expect((await member.client.post("/api/groups", { name: "Permise à nouveau" })).status).toBe(201);
  });

  it("answers bad input with 4xx problems and changes nothing", async () => {
    const owner = await matrixUser(s);
    const g = await createGroup(owner.client, "Intacte");
    const bad: [string, string, unknown][] = [
      ["POST", "/api/groups", { name: "" }],
      ["POST", "/api/groups", { name: "x".repeat(81) }],
      ["POST", "/api/groups", { name: "ok", extra: 1 }],
      ["POST", "/api/groups", { name: 42 }],
      ["PATCH", `/api/groups/${g.id}`, {}],
      ["PATCH", `/api/groups/${g.id}`, { description: "y".repeat(501) }],
      ["PATCH", "/api/groups/not-a-uuid", { name: "x" }],
      ["POST", `/api/groups/${g.id}/members`, { userId: "nope" }],
      ["POST", `/api/groups/${g.id}/members`, { userId: owner.id }],
      ["POST", `/api/groups/${g.id}/members`, { userId: "01900000-0000-7000-8000-000000000000" }],
      ["PATCH", `/api/groups/${g.id}/members/${owner.id}`, { role: "king" }],
      ["GET", "/api/groups?cursor=%%%", undefined],
      ["GET", "/api/groups?limit=0", undefined],
    ];
    for (const [method, path, body] of bad) {
      const r = await owner.client.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${method} ${path}`).toBeLessThan(500);
      expect(r.headers.get("content-type")).toMatch(/problem\+json/);
    }
    const after = await owner.client.get<Group>(`/api/groups/${g.id}`);
    expect(after.body).toMatchObject({ name: "Intacte", description: "une équipe", memberCount: 1 });
  });
});
