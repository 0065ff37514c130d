import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startSmtpServer,
  startTestServer,
  type TestClient,
  type TestServer,
  type TestSmtpServer,
} from "@ensemble/testkit";
import { matrixUser, runMatrix, type MatrixContext } from "@ensemble/testkit/matrix";

interface Created {
  invitation: { id: string; role: string; status: string; uses: number; maxUses: number; expiresAt: string };
  link: string;
}

const PASSWORD = "Un-Mot-De-Passe-Solide-7";
let seq = 0;
const newcomer = (extra: Record<string, unknown> = {}) => {
  seq += 1;
  const username = `newcomer${seq}${Math.random().toString(36).slice(2, 6)}`;
  return {
    username,
    displayName: `Nouvelle Personne ${seq}`,
    email: `${username}@example.org`,
    password: PASSWORD,
    ...extra,
  };
};
const tokenOf = (link: string) => new URL(link).hash.replace(/^#token=/, "");

async function invite(client: TestClient, body: Record<string, unknown> = {}): Promise<Created & { token: string }> {
  const r = await client.post<Created>("/api/invitations", body);
  if (r.status !== 201) throw new Error(`invitation failed: ${r.status} ${r.text}`);
  return { ...r.body, token: tokenOf(r.body.link) };
}

describe("invitations", () => {
  let s: TestServer;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    s = await startTestServer({
      env: { SMTP_URL: smtp.url, PUBLIC_URL: "https://ensemble.example.org", RATE_LIMIT_SIGNIN_PER_MIN: "1000" },
    });
  });
  afterAll(async () => {
    await s.close();
    await smtp.close();
  });

  const invitationRow = (id: string) =>
    s.kernel.db.selectFrom("invitations").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const userCount = async () =>
    Number(
      (
        await s.kernel.db
          .selectFrom("users")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("enforces the actor × action matrix", async () => {
    const fixture = async (ctx: MatrixContext) => {
      const owner = await ctx.newUser("member");
      const inv = await invite(owner.client);
      return { id: inv.invitation.id, actors: { owner: owner.client } };
    };
    await runMatrix(s, {
      resource: "invitation",
      setup: fixture,
      rows: [
        {
          action: "create member invitation",
          request: () => ({ method: "POST", path: "/api/invitations", body: { role: "member" } }),
          expect: { anonymous: "auth", guest: "deny", member: "allow", owner: "allow", admin: "allow" },
        },
        {
          action: "create guest invitation",
          request: () => ({ method: "POST", path: "/api/invitations", body: { role: "guest" } }),
          expect: { anonymous: "auth", guest: "deny", member: "deny", owner: "deny", admin: "allow" },
        },
        {
          action: "list",
          request: () => ({ method: "GET", path: "/api/invitations" }),
          expect: { anonymous: "auth", guest: "allow", member: "allow", owner: "allow", admin: "allow" },
        },
        {
          action: "revoke",
          request: (f) => ({ method: "DELETE", path: `/api/invitations/${f.id}` }),
          expect: { anonymous: "auth", guest: "hidden", member: "hidden", owner: "allow", admin: "allow" },
        },
      ],
    });
  });

  it("invites into a group: preview, accept, signed in, member of the group, link used up", async () => {
    const owner = await matrixUser(s);
    const g = await owner.client.post<{ id: string }>("/api/groups", { name: "Médiathèque" });
    const inv = await invite(owner.client, { groupId: g.body.id });
    expect(inv.link).toMatch(/^https:\/\/ensemble\.example\.org\/invite#token=[\w-]{40,}$/);
    expect(inv.invitation).toMatchObject({ role: "member", maxUses: 1, uses: 0, status: "active" });
    // Stored hashed: the database never holds the token itself.
    const row = await invitationRow(inv.invitation.id);
    expect(row.token_hash).not.toContain(inv.token);
    expect(JSON.stringify(row)).not.toContain(inv.token);

    const anon = s.client();
    const preview = await anon.post("/api/invitations/preview", { token: inv.token });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      role: "member",
      organisationName: "Ensemble",
      groupName: "Médiathèque",
      inviterDisplayName: owner.username,
    });

    const who = newcomer();
    const accepted = await anon.post<{ user: { id: string; username: string; role: string } }>(
      "/api/invitations/accept",
      { token: inv.token, ...who },
    );
    expect(accepted.status).toBe(201);
    expect(accepted.body.user).toMatchObject({ username: who.username, role: "member" });
    const me = await anon.get<{ user: { username: string } }>("/api/me");
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe(who.username);
    const group = await anon.get<{ members: { user: { id: string }; role: string }[] }>(`/api/groups/${g.body.id}`);
    expect(group.body.members.find((m) => m.user.id === accepted.body.user.id)?.role).toBe("member");

    expect((await s.client().post("/api/invitations/preview", { token: inv.token })).status).toBe(410);
    const again = await s.client().post("/api/invitations/accept", { token: inv.token, ...newcomer() });
    expect(again.status).toBe(410);
    expect(again.body).toMatchObject({ code: "invitation_invalid" });
    expect((await invitationRow(inv.invitation.id)).uses).toBe(1);
  });

  it("admins invite guests, who get the guest role", async () => {
    const admin = await matrixUser(s, "admin");
    const inv = await invite(admin.client, { role: "guest", maxUses: 2 });
    const c = s.client();
    const r = await c.post<{ user: { role: string } }>("/api/invitations/accept", { token: inv.token, ...newcomer() });
    expect(r.status).toBe(201);
    expect(r.body.user.role).toBe("guest");
    expect((await c.get("/api/users")).status).toBe(200);
  });

  it("never lets concurrent accepts go beyond maxUses", async () => {
    const owner = await matrixUser(s);
    const inv = await invite(owner.client, { maxUses: 3 });
    const before = await userCount();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => s.client().post("/api/invitations/accept", { token: inv.token, ...newcomer() })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 410, 410, 410, 410, 410]);
    expect((await invitationRow(inv.invitation.id)).uses).toBe(3);
    expect(await userCount()).toBe(before + 3);
  });

  it("refuses expired and revoked invitations with 410", async () => {
    const owner = await matrixUser(s);
    const expired = await invite(owner.client);
    await s.kernel.db
      .updateTable("invitations")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("id", "=", expired.invitation.id)
      .execute();
    const revoked = await invite(owner.client);
    expect((await owner.client.delete(`/api/invitations/${revoked.invitation.id}`)).status).toBe(204);
    for (const inv of [expired, revoked]) {
      expect((await s.client().post("/api/invitations/preview", { token: inv.token })).status).toBe(410);
      expect((await s.client().post("/api/invitations/accept", { token: inv.token, ...newcomer() })).status).toBe(410);
      expect((await invitationRow(inv.invitation.id)).uses).toBe(0);
    }
    const list = await owner.client.get<{ items: { id: string; status: string }[] }>("/api/invitations");
    expect(Object.fromEntries(list.body.items.map((i) => [i.id, i.status]))).toMatchObject({
      [expired.invitation.id]: "expired",
      [revoked.invitation.id]: "revoked",
    });
    expect((await s.client().post("/api/invitations/preview", { token: "x".repeat(43) })).status).toBe(410);
  });

  it("records what happened in the outbox, in the same transaction", async () => {
    const owner = await matrixUser(s);
    const g = await owner.client.post<{ id: string }>("/api/groups", { name: "Archives" });
    const inv = await invite(owner.client, { groupId: g.body.id });
    const accepted = await s
      .client()
      .post<{ user: { id: string } }>("/api/invitations/accept", { token: inv.token, ...newcomer() });
    const events = await s.kernel.db
      .withTables<{ events: { name: string; actor_id: string | null; resources: string } }>()
      .selectFrom("events")
      .select(["name", "actor_id", "resources"])
      .where("resources", "like", `%${inv.invitation.id}%`)
      .execute();
    expect(events.map((e) => e.name).sort()).toEqual(["accounts.invitation.accepted", "accounts.invitation.created"]);
    const acceptedEvent = events.find((e) => e.name === "accounts.invitation.accepted")!;
    expect(acceptedEvent.actor_id).toBe(accepted.body.user.id);
    expect(JSON.parse(acceptedEvent.resources)).toMatchObject({ group: g.body.id, user: accepted.body.user.id });
  });

  it("stops working when the inviter is deactivated", async () => {
    const admin = await matrixUser(s, "admin");
    const owner = await matrixUser(s);
    const inv = await invite(owner.client);
    expect((await admin.client.patch(`/api/admin/users/${owner.id}`, { deactivated: true })).status).toBe(200);
    expect((await s.client().post("/api/invitations/accept", { token: inv.token, ...newcomer() })).status).toBe(410);
  });

  it("shows members their own invitations and admins everyone's", async () => {
    const admin = await matrixUser(s, "admin");
    const a = await matrixUser(s);
    const b = await matrixUser(s);
    const ia = await invite(a.client);
    const ib = await invite(b.client);
    const listA = await a.client.get<{ items: { id: string }[] }>("/api/invitations");
    expect(listA.body.items.map((i) => i.id)).toEqual([ia.invitation.id]);
    const all = await admin.client.get<{ items: { id: string }[] }>("/api/invitations?limit=200");
    expect(all.body.items.map((i) => i.id)).toEqual(expect.arrayContaining([ia.invitation.id, ib.invitation.id]));

    const created = [ia.invitation.id];
    for (let n = 0; n < 4; n++) created.push((await invite(a.client)).invitation.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; next: string | null } } = await a.client.get(
        `/api/invitations?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.next;
    } while (cursor);
    expect(seen).toEqual([...created].reverse());
  });

  it("mails the link when an e-mail address is given", async () => {
    const owner = await matrixUser(s);
    const inv = await invite(owner.client, { email: "Camille.Durand@Example.org", expiresInDays: 30 });
    const mail = await smtp.waitForMail((m) => m.to.includes("camille.durand@example.org"));
    expect(mail.text).toContain(inv.link);
    expect(mail.subject).toContain(owner.username);
  });

  it("follows the membersCanInvite setting", async () => {
    const admin = await matrixUser(s, "admin");
    const member = await matrixUser(s);
    expect((await admin.client.patch("/api/admin/settings", { membersCanInvite: false })).status).toBe(200);
    try {
      expect((await member.client.post("/api/invitations", {})).status).toBe(403);
      expect((await admin.client.post("/api/invitations", {})).status).toBe(201);
    } finally {
      await admin.client.patch("/api/admin/settings", { membersCanInvite: true });
    }
    expect((await member.client.post("/api/invitations", {})).status).toBe(201);
  });

  it("refuses an invitation into a group the inviter does not own", async () => {
    const owner = await matrixUser(s);
    const other = await matrixUser(s);
    const g = await owner.client.post<{ id: string }>("/api/groups", { name: "Fermée" });
    expect((await other.client.post("/api/invitations", { groupId: g.body.id })).status).toBe(403);
    expect(
      (await other.client.post("/api/invitations", { groupId: "01900000-0000-7000-8000-000000000000" })).status,
    ).toBe(404);
  });

  it("answers bad input with 4xx problems and changes nothing", async () => {
    const owner = await matrixUser(s);
    const invitationsBefore = (await s.kernel.db.selectFrom("invitations").select("id").execute()).length;
    const badCreate: unknown[] = [
      { expiresInDays: 0 },
      { expiresInDays: 91 },
      { maxUses: 0 },
      { maxUses: 1001 },
      { maxUses: 1.5 },
      { role: "admin" },
      { email: "not-an-address" },
      { groupId: "nope" },
      { extra: true },
      [],
    ];
    for (const body of badCreate) {
      const r = await owner.client.post("/api/invitations", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.headers.get("content-type")).toMatch(/problem\+json/);
    }
    expect((await s.kernel.db.selectFrom("invitations").select("id").execute()).length).toBe(invitationsBefore);

    const inv = await invite(owner.client);
    const taken = await matrixUser(s);
    const before = await userCount();
    const badAccept: [Record<string, unknown>, number][] = [
      [{ ...newcomer(), password: "short" }, 422],
      [{ ...newcomer(), password: "password123" }, 422],
      [{ ...newcomer(), username: "A B" }, 400],
      [{ ...newcomer(), email: "nope" }, 400],
      [{ ...newcomer(), username: taken.username }, 409],
      [{ ...newcomer(), email: `${taken.username}@example.org` }, 409],
      [{ ...newcomer(), displayName: "" }, 400],
      [{ ...newcomer(), token: undefined }, 400],
    ];
    for (const [body, status] of badAccept) {
      const r = await s.client().post("/api/invitations/accept", { token: inv.token, ...body });
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.headers.get("content-type")).toMatch(/problem\+json/);
      expect(r.headers.get("set-cookie") ?? "").not.toMatch(/ensemble_session=[^;]/);
    }
    expect(await userCount()).toBe(before);
    expect((await invitationRow(inv.invitation.id)).uses).toBe(0);
    expect((await owner.client.request("DELETE", "/api/invitations/not-a-uuid")).status).toBe(400);
  });
});

describe("invitation endpoints are rate limited", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ env: { RATE_LIMIT_PUBLIC_PER_MIN: "3" } });
  });
  afterAll(async () => s.close());

  it("answers 429 with retry-after once the public limit is reached", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await s.client().post("/api/invitations/preview", { token: "y".repeat(43) })).status);
    expect(statuses).toEqual([410, 410, 410, 429]);
    const r = await s.client().post("/api/invitations/preview", { token: "y".repeat(43) });
    expect(r.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(r.body).toMatchObject({ code: "rate_limited" });
  });
});
