import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { matrixUser, runMatrix, type MatrixContext } from "@ensemble/testkit/matrix";

interface Entry {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
}
interface Page {
  items: Entry[];
  next: string | null;
}

const tag = () => Math.random().toString(36).slice(2, 8);

describe("people directory and user matrix", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s.close());

  /** The user is `owner` (themself); `groupmate` is a guest who shares a group with them. */
  async function userFixture(ctx: MatrixContext) {
    const owner = await ctx.newUser("member");
    const groupmate = await ctx.newUser("guest");
    const g = await owner.client.post<{ id: string }>("/api/groups", { name: "Binôme" });
    const added = await owner.client.post(`/api/groups/${g.body.id}/members`, { userId: groupmate.id });
    if (added.status !== 201) throw new Error(`fixture: ${added.status} ${added.text}`);
    return { id: owner.id, actors: { owner: owner.client, groupmate: groupmate.client } };
  }

  it("enforces the user actor × action matrix", async () => {
    const adminOnly = {
      anonymous: "auth",
      guest: "deny",
      member: "deny",
      owner: "deny",
      admin: "allow",
      groupmate: "deny",
    } as const;
    await runMatrix(s, {
      resource: "user",
      extraActors: ["groupmate"] as const,
      setup: userFixture,
      rows: [
        {
          action: "search directory",
          request: () => ({ method: "GET", path: "/api/users" }),
          expect: {
            anonymous: "auth",
            guest: "allow",
            member: "allow",
            owner: "allow",
            admin: "allow",
            groupmate: "allow",
          },
        },
        {
          action: "read profile card",
          request: (f) => ({ method: "GET", path: `/api/users/${f.id}` }),
          expect: {
            anonymous: "auth",
            guest: "hidden",
            member: "allow",
            owner: "allow",
            admin: "allow",
            groupmate: "allow",
          },
        },
        {
          action: "change role",
          request: (f) => ({ method: "PATCH", path: `/api/admin/users/${f.id}`, body: { role: "guest" } }),
          expect: {
            anonymous: "auth",
            guest: "hidden",
            member: "deny",
            owner: "deny",
            admin: "allow",
            groupmate: "deny",
          },
        },
        {
          action: "deactivate",
          request: (f) => ({ method: "PATCH", path: `/api/admin/users/${f.id}`, body: { deactivated: true } }),
          expect: {
            anonymous: "auth",
            guest: "hidden",
            member: "deny",
            owner: "deny",
            admin: "allow",
            groupmate: "deny",
          },
        },
        {
          action: "reset two-factor",
          request: (f) => ({ method: "POST", path: `/api/admin/users/${f.id}/reset-two-factor` }),
          expect: {
            anonymous: "auth",
            guest: "hidden",
            member: "deny",
            owner: "deny",
            admin: "allow",
            groupmate: "deny",
          },
        },
        { action: "admin list users", request: () => ({ method: "GET", path: "/api/admin/users" }), expect: adminOnly },
        {
          action: "read org settings",
          request: () => ({ method: "GET", path: "/api/admin/settings" }),
          expect: adminOnly,
        },
        {
          action: "change org settings",
          request: () => ({ method: "PATCH", path: "/api/admin/settings", body: { brandName: "Ensemble" } }),
          expect: adminOnly,
        },
        {
          action: "read public settings",
          request: () => ({ method: "GET", path: "/api/settings/public" }),
          expect: {
            anonymous: "allow",
            guest: "allow",
            member: "allow",
            owner: "allow",
            admin: "allow",
            groupmate: "allow",
          },
        },
      ],
    });
  });

  it("finds people by name, username or e-mail, ignoring case and accents", async () => {
    const t = tag();
    const member = await matrixUser(s);
    const helene = await s.createUser({
      username: `hdupre${t}`,
      displayName: `Hélène Dupré ${t}`,
      email: `h.dupre.${t}@mairie.example`,
    });
    const francois = await s.createUser({
      username: `fcoeur${t}`,
      displayName: `FRANÇOIS Cœur ${t}`,
      email: `francois.${t}@mairie.example`,
    });
    const search = async (q: string) =>
      (await member.client.get<Page>(`/api/users?q=${encodeURIComponent(q)}`)).body.items.map((u) => u.username);
    expect(await search(`helene dupre ${t}`)).toEqual([helene.username]);
    expect(await search(`HÉLÈNE DUPRÉ ${t}`)).toEqual([helene.username]);
    expect(await search(`Hélène Dupré ${t}`)).toEqual([helene.username]);
    expect(await search(`h.dupre.${t}@mairie`)).toEqual([helene.username]);
    expect(await search(`hdupre${t}`)).toEqual([helene.username]);
    expect(await search(`francois coeur ${t}`)).toEqual([francois.username]);
    expect(await search(`François Cœur ${t}`)).toEqual([francois.username]);
    expect((await search(t)).sort()).toEqual([francois.username, helene.username].sort());
    // LIKE wildcards are taken literally.
    expect(await search(`%${t}`)).toEqual([]);
    expect(await search(`_dupre${t}`)).toEqual([]);
  });

  it("pages through results with a cursor, and hides deactivated accounts", async () => {
    const t = tag();
    const admin = await matrixUser(s, "admin");
    const names = ["Anne", "Bruno", "Chloé", "Damien", "Émile"].map((n) => `${n} ${t}`);
    const users = [];
    for (const n of names) users.push(await s.createUser({ displayName: n }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { status: number; body: Page } = await admin.client.get(
        `/api/users?q=${t}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(r.status).toBe(200);
      seen.push(...r.body.items.map((u) => u.displayName));
      cursor = r.body.next;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(names);
    await admin.client.patch(`/api/admin/users/${users[0]!.id}`, { deactivated: true });
    const after = await admin.client.get<Page>(`/api/users?q=${t}`);
    expect(after.body.items.map((u) => u.displayName)).toEqual(names.slice(1));
  });

  it("shows a profile card with explicit fields only", async () => {
    const member = await matrixUser(s);
    const other = await s.createUser({ displayName: "Carte de visite" });
    const r = await member.client.get<Record<string, unknown>>(`/api/users/${other.id}`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(
      [
        "avatarUrl",
        "deactivated",
        "displayName",
        "email",
        "id",
        "locale",
        "role",
        "statusMessage",
        "timeZone",
        "username",
      ].sort(),
    );
    expect((await member.client.get("/api/users/01900000-0000-7000-8000-000000000000")).status).toBe(404);
    expect((await member.client.get("/api/users/nope")).status).toBe(400);
    expect((await member.client.get("/api/users?limit=500")).status).toBe(400);
    expect((await member.client.get("/api/users?cursor=bm90LWpzb24")).status).toBe(400);
  });

  it("isolates guests: they see only themselves and what they were added to", async () => {
    const t = tag();
    const admin = await matrixUser(s, "admin");
    const colleague = await s.createUser({ displayName: `Collègue ${t}` });
    const stranger = await s.createUser({ displayName: `Inconnu ${t}` });
    const g = await admin.client.post<{ id: string }>("/api/groups", { name: `Projet ${t}` });
    const secret = await admin.client.post<{ id: string }>("/api/groups", { name: `Secret ${t}` });
    await admin.client.post(`/api/groups/${g.body.id}/members`, { userId: colleague.id });
    await admin.client.post(`/api/groups/${secret.body.id}/members`, { userId: stranger.id });

    // The guest arrives through an invitation into the project group.
    const inv = await admin.client.post<{ link: string }>("/api/invitations", { role: "guest", groupId: g.body.id });
    const guest = s.client();
    const token = new URL(inv.body.link).hash.replace("#token=", "");
    const accepted = await guest.post<{ user: { id: string } }>("/api/invitations/accept", {
      token,
      username: `invite${t}`,
      displayName: `Invité ${t}`,
      email: `invite.${t}@dehors.example`,
      password: "Un-Mot-De-Passe-Solide-7",
    });
    expect(accepted.status).toBe(201);

    const everyone = await guest.get<Page>("/api/users?limit=200");
    expect(everyone.body.items.map((u) => u.id).sort()).toEqual([admin.id, colleague.id, accepted.body.user.id].sort());
    expect((await guest.get<Page>(`/api/users?q=${encodeURIComponent(`Inconnu ${t}`)}`)).body.items).toEqual([]);
    expect((await guest.get(`/api/users/${colleague.id}`)).status).toBe(200);
    expect((await guest.get(`/api/users/${stranger.id}`)).status).toBe(404);

    const groups = await guest.get<{ items: { id: string }[] }>("/api/groups");
    expect(groups.body.items.map((x) => x.id)).toEqual([g.body.id]);
    expect((await guest.get(`/api/groups/${secret.body.id}`)).status).toBe(404);
    expect((await guest.post("/api/groups", { name: "À moi" })).status).toBe(403);
    expect((await guest.post("/api/invitations", {})).status).toBe(403);
    expect((await guest.get("/api/admin/users")).status).toBe(403);
    // Nor can a guest add an outsider to a group they do not own, or see whether the outsider exists.
    expect((await guest.post(`/api/groups/${g.body.id}/members`, { userId: stranger.id })).status).toBe(403);

    // Once removed from the group, the guest loses sight of its people.
    await admin.client.delete(`/api/groups/${g.body.id}/members/${accepted.body.user.id}`);
    expect((await guest.get(`/api/users/${colleague.id}`)).status).toBe(404);
    expect((await guest.get<{ items: unknown[] }>("/api/groups")).body.items).toEqual([]);
  });
});
