import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { matrixUser } from "@ensemble/testkit/matrix";

interface AdminUser {
  id: string;
  username: string;
  role: string;
  deactivated: boolean;
  twoFactorEnabled: boolean;
}
interface Page {
  items: AdminUser[];
  next: string | null;
}

describe("administration", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s.close());

  it("lists accounts with text, role and status filters, paged by cursor", async () => {
    const admin = await matrixUser(s, "admin");
    const t = Math.random().toString(36).slice(2, 8);
    const g = await s.createUser({ username: `guest${t}`, role: "guest", displayName: `Gérard ${t}` });
    const m = await s.createUser({ username: `member${t}`, role: "member", displayName: `Mélanie ${t}` });
    const gone = await s.createUser({ username: `gone${t}`, role: "member" });
    await admin.client.patch(`/api/admin/users/${gone.id}`, { deactivated: true });
    const list = async (qs: string) =>
      (await admin.client.get<Page>(`/api/admin/users?${qs}`)).body.items.map((u) => u.username);
    expect((await list(`q=${t}`)).sort()).toEqual([gone.username, g.username, m.username].sort());
    expect(await list(`q=${t}&role=guest`)).toEqual([g.username]);
    expect(await list(`q=${t}&status=deactivated`)).toEqual([gone.username]);
    expect((await list(`q=${t}&status=active`)).sort()).toEqual([g.username, m.username].sort());
    expect(await list(`q=${encodeURIComponent(`gerard ${t}`)}`)).toEqual([g.username]);

    const first = await admin.client.get<Page>(`/api/admin/users?q=${t}&limit=2`);
    expect(first.body.items).toHaveLength(2);
    const second = await admin.client.get<Page>(`/api/admin/users?q=${t}&limit=2&cursor=${first.body.next}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.next).toBeNull();
    expect((await admin.client.get("/api/admin/users?role=king")).status).toBe(400);
    expect((await admin.client.get("/api/admin/users?status=maybe")).status).toBe(400);
  });

  it("changes roles: the new role applies to the next request", async () => {
    const admin = await matrixUser(s, "admin");
    const m = await matrixUser(s);
    expect((await m.client.get("/api/admin/users")).status).toBe(403);
    const r = await admin.client.patch<AdminUser>(`/api/admin/users/${m.id}`, { role: "admin" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: m.id, role: "admin", deactivated: false });
    expect((await m.client.get("/api/admin/users")).status).toBe(200);
    await admin.client.patch(`/api/admin/users/${m.id}`, { role: "guest" });
    expect((await m.client.get("/api/admin/users")).status).toBe(403);
    expect((await m.client.post("/api/groups", { name: "x" })).status).toBe(403);
  });

  it("resets a lost second factor", async () => {
    const admin = await matrixUser(s, "admin");
    const u = await s.createUser();
    await s.kernel.db
      .updateTable("users")
      .set({ totp_secret: "JBSWY3DPEHPK3PXP", totp_enabled: 1 })
      .where("id", "=", u.id)
      .execute();
    await s.kernel.db
      .insertInto("recovery_codes")
      .values({ id: crypto.randomUUID(), user_id: u.id, code_hash: "x", used_at: null })
      .execute();
    const signIn = await s.client().post("/api/auth/sign-in", { login: u.username, password: u.password });
    expect(signIn.body).toMatchObject({ code: "two_factor_required" });

    expect((await admin.client.post(`/api/admin/users/${u.id}/reset-two-factor`)).status).toBe(204);
    const row = await s.kernel.db.selectFrom("users").selectAll().where("id", "=", u.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ totp_secret: null, totp_enabled: 0 });
    expect(await s.kernel.db.selectFrom("recovery_codes").select("id").where("user_id", "=", u.id).execute()).toEqual(
      [],
    );
    expect((await s.client().post("/api/auth/sign-in", { login: u.username, password: u.password })).status).toBe(200);
    expect(
      (await admin.client.post("/api/admin/users/01900000-0000-7000-8000-000000000000/reset-two-factor")).status,
    ).toBe(404);
  });

  it("reads and changes organisation settings, published for the sign-in page", async () => {
    const admin = await matrixUser(s, "admin");
    const before = await admin.client.get("/api/admin/settings");
    expect(before.body).toEqual({
      membersCanInvite: true,
      membersCanCreateGroups: true,
      requireTwoFactor: "off",
      brandName: "Ensemble",
      brandColor: "#000091",
      defaultLocale: "fr",
    });
    const patched = await admin.client.patch("/api/admin/settings", {
      brandName: "  Métropole  ",
      brandColor: "#E1000F",
      defaultLocale: "en",
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      brandName: "Métropole",
      brandColor: "#E1000F",
      defaultLocale: "en",
      membersCanInvite: true,
    });
    const pub = await s.client().get("/api/settings/public");
    expect(pub.body).toEqual({ brandName: "Métropole", brandColor: "#E1000F", defaultLocale: "en" });

    const bad: unknown[] = [
      {},
      { brandColor: "red" },
      { brandColor: "#12345" },
      { brandName: "" },
      { brandName: "   " },
      { brandName: "x".repeat(81) },
      { requireTwoFactor: "maybe" },
      { defaultLocale: "de" },
      { membersCanInvite: "yes" },
      { brandLogoKey: "../../etc/passwd" },
      { unknown: 1 },
      "text",
    ];
    for (const body of bad) {
      const r = await admin.client.patch("/api/admin/settings", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.headers.get("content-type")).toMatch(/problem\+json/);
    }
    expect((await admin.client.get("/api/admin/settings")).body).toMatchObject({
      brandName: "Métropole",
      brandColor: "#E1000F",
      defaultLocale: "en",
    });
    await admin.client.patch("/api/admin/settings", {
      brandName: "Ensemble",
      brandColor: "#000091",
      defaultLocale: "fr",
    });
  });

  it("refuses bad user patches and changes nothing", async () => {
    const admin = await matrixUser(s, "admin");
    const m = await s.createUser();
    for (const body of [{}, { role: "king" }, { deactivated: "yes" }, { role: "admin", extra: 1 }]) {
      const r = await admin.client.patch(`/api/admin/users/${m.id}`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    expect((await admin.client.patch("/api/admin/users/nope", { role: "admin" })).status).toBe(400);
    expect(
      (await admin.client.patch("/api/admin/users/01900000-0000-7000-8000-000000000000", { role: "admin" })).status,
    ).toBe(404);
    const row = await s.kernel.db.selectFrom("users").selectAll().where("id", "=", m.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ role: "member", deactivated: 0 });
  });
});

describe("the last active administrator", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s.close());

  it("can be neither demoted nor deactivated; two admins demoting each other leave one", async () => {
    const a = await matrixUser(s, "admin");
    expect((await a.client.patch(`/api/admin/users/${a.id}`, { role: "member" })).status).toBe(409);
    expect((await a.client.patch(`/api/admin/users/${a.id}`, { deactivated: true })).status).toBe(409);

    const b = await matrixUser(s, "admin");
    const rs = await Promise.all([
      a.client.patch(`/api/admin/users/${b.id}`, { role: "member" }),
      b.client.patch(`/api/admin/users/${a.id}`, { role: "member" }),
    ]);
    const statuses = rs.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    // The loser is refused as no longer an admin (403) or as the last admin (409).
    expect([403, 409]).toContain(statuses[1]);
    const admins = await s.kernel.db
      .selectFrom("users")
      .select("id")
      .where("role", "=", "admin")
      .where("deactivated", "=", 0)
      .execute();
    expect(admins).toHaveLength(1);

    // A deactivated admin does not count: the remaining active one is still the last.
    const survivor = admins[0]!.id === a.id ? a : b;
    const c = await matrixUser(s, "admin");
    expect((await survivor.client.patch(`/api/admin/users/${c.id}`, { deactivated: true })).status).toBe(200);
    expect((await survivor.client.patch(`/api/admin/users/${survivor.id}`, { role: "guest" })).status).toBe(409);
  });
});
