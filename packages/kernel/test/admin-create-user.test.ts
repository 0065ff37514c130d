import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, waitFor, type TestServer, type TestClient } from "@ensemble/testkit";
import { runMatrix } from "@ensemble/testkit/matrix";

interface Created {
  user: { id: string; username: string; displayName: string; email: string | null; role: string };
  password: string;
}

/** Administration › Users › Create: the `ensemble user add` of the web console. */
describe("an administrator creates an account", () => {
  let s: TestServer;
  let admin: TestClient;
  let adminId: string;
  beforeAll(async () => {
    s = await startTestServer();
    const a = await s.signedIn({ role: "admin" });
    admin = a.client;
    adminId = a.user.id;
  });
  afterAll(async () => s.close());

  const count = async () => (await s.kernel.db.selectFrom("users").select("id").execute()).length;

  it("creates it with a password shown once that signs in, and the audit log names the administrator", async () => {
    const r = await admin.post<Created>("/api/admin/users", {
      username: "camille.durand",
      displayName: "Camille Durand",
      email: "Camille.Durand@Example.org",
      role: "guest",
    });
    expect(r.status).toBe(201);
    expect(r.body.user).toMatchObject({
      username: "camille.durand",
      displayName: "Camille Durand",
      email: "camille.durand@example.org",
      role: "guest",
    });
    expect(r.body.password).toMatch(/^[\w-]{23}$/);
    const signIn = await s.client().post("/api/auth/sign-in", { login: "camille.durand", password: r.body.password });
    expect(signIn.status).toBe(200);
    await waitFor(async () => {
      const page = await admin.get<{ items: { action: string; target: { id: string } | null }[] }>(
        `/api/admin/audit?actor=${adminId}&action=accounts.user.created`,
      );
      return page.body.items.some((e) => e.target?.id === r.body.user.id);
    }, "the creation in the audit log");
    const entry = (
      await admin.get<{ items: { target: { id: string } | null; details: Record<string, unknown> }[] }>(
        `/api/admin/audit?actor=${adminId}&action=accounts.user.created`,
      )
    ).body.items.find((e) => e.target?.id === r.body.user.id);
    expect(entry?.details).toMatchObject({ payload: { username: "camille.durand", role: "guest", via: "admin" } });
    expect(JSON.stringify(entry)).not.toContain(r.body.password);
  });

  it("refuses a taken name or address and bad input, creating nothing", async () => {
    const before = await count();
    const taken = await admin.post<{ code: string }>("/api/admin/users", { username: "camille.durand" });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe("username_taken");
    const mail = await admin.post<{ code: string }>("/api/admin/users", {
      username: "autre",
      email: "camille.durand@example.org",
    });
    expect(mail.body.code).toBe("email_taken");
    for (const body of [
      { username: "A b" },
      { username: "ok-name", role: "owner" },
      { username: "ok-name", email: "nope" },
      { username: "ok-name", password: "chosen-by-admin" },
      { username: "ok-name", displayName: "x\u0000y" },
    ]) {
      expect((await admin.post("/api/admin/users", body)).status).toBe(400);
    }
    expect(await count()).toBe(before);
  });

  it("is for administrators only", async () => {
    let n = 0;
    await runMatrix(s, {
      resource: "user",
      // No one owns an account before it exists: "owner" is one more member.
      setup: async (ctx) => ({ actors: { owner: (await ctx.newUser("member")).client } }),
      rows: [
        {
          action: "create an account",
          request: () => ({ method: "POST", path: "/api/admin/users", body: { username: `matrix-${++n}` } }),
          expect: { anonymous: "auth", guest: "deny", member: "deny", owner: "deny", admin: "allow" },
        },
      ],
    });
  });
});
