import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "@ensemble/kernel";
import { csvCell } from "../src/audit/csv.ts";
import { startTestServer, waitFor, type TestServer, type TestClient } from "@ensemble/testkit";
import { runMatrix } from "@ensemble/testkit/matrix";

interface Entry {
  id: string;
  at: string;
  actor: { id: string; username: string | null } | null;
  action: string;
  target: { type: string; id: string } | null;
  ip: string | null;
  details: Record<string, unknown>;
}
interface Page {
  items: Entry[];
  next: string | null;
}

describe("audit log", () => {
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

  const list = async (query: string) => {
    const r = await admin.get<Page>(`/api/admin/audit?${query}`);
    expect(r.status).toBe(200);
    return r.body;
  };

  it("records sign-ins, failed ones with the address, and token creation and revocation", async () => {
    const u = await s.createUser();
    const c = s.client();
    expect((await c.post("/api/auth/sign-in", { login: u.username, password: "wrong-password-1" })).status).toBe(401);
    expect((await c.post("/api/auth/sign-in", { login: u.username, password: u.password })).status).toBe(200);
    const token = await c.post<{ id: string }>("/api/me/tokens", { name: "script", scopes: ["read"] });
    expect(token.status).toBe(201);
    expect((await c.delete(`/api/me/tokens/${token.body.id}`)).status).toBe(204);

    const mine = await list(`actor=${u.id}`);
    expect(mine.items.map((e) => e.action)).toEqual([
      "accounts.token.revoked",
      "accounts.token.created",
      "auth.sign_in.succeeded",
      "auth.sign_in.failed",
    ]);
    const failed = mine.items[3]!;
    expect(failed.ip).toBe("127.0.0.1");
    expect(failed.details).toMatchObject({ login: u.username, reason: "invalid_credentials" });
    expect(mine.items[2]!.target).toEqual({ type: "user", id: u.id });
    expect(mine.items[1]!.details).toEqual({ name: "script", scopes: ["read"] });
    expect(JSON.stringify(mine.items)).not.toContain(u.password);

    // A login that matches nobody is recorded without an actor.
    await s.client().post("/api/auth/sign-in", { login: "nobody-at-all", password: "whatever-123" });
    const anon = await list("action=auth.sign_in.failed");
    expect(anon.items.some((e) => e.actor === null && e.details.login === "nobody-at-all")).toBe(true);
    // A prefix filter: `_` is literal, not a LIKE wildcard.
    const prefixed = (await list(`actor=${u.id}&action=auth.sign_in.*`)).items.map((e) => e.action);
    expect(prefixed).toEqual(["auth.sign_in.succeeded", "auth.sign_in.failed"]);
    expect((await list(`actor=${u.id}&action=auth.sign.in.*`)).items).toEqual([]);
    expect((await admin.get("/api/admin/audit?action=auth.*.failed")).status).toBe(400);
  });

  it("mirrors role changes, deactivation and group changes, and records settings changes", async () => {
    const u = await s.createUser();
    expect((await admin.patch(`/api/admin/users/${u.id}`, { role: "guest" })).status).toBe(200);
    expect((await admin.patch(`/api/admin/users/${u.id}`, { deactivated: true })).status).toBe(200);
    expect((await admin.patch("/api/admin/settings", { brandName: "Métropole" })).status).toBe(200);
    const g = await admin.post<{ id: string }>("/api/groups", { name: "Audités" });
    expect(g.status).toBe(201);
    const mirrored = ["accounts.user.role_changed", "accounts.user.deactivated", "accounts.group.created"];
    await waitFor(async () => {
      const actions = (await list(`actor=${adminId}&action=accounts.*`)).items.map((e) => e.action);
      return mirrored.every((a) => actions.includes(a));
    }, "mirrored admin actions");
    const items = (await list(`actor=${adminId}&action=accounts.*`)).items;
    const role = items.find((e) => e.action === "accounts.user.role_changed");
    expect(role).toMatchObject({
      target: { type: "user", id: u.id },
      details: { payload: { from: "member", to: "guest" } },
    });
    expect(items.some((e) => e.action === "accounts.user.deactivated" && e.target?.id === u.id)).toBe(true);
    expect(items.some((e) => e.action === "accounts.group.created" && e.target?.id === g.body.id)).toBe(true);
    const settings = items.find((e) => e.action === "accounts.settings.updated");
    expect(settings).toMatchObject({ ip: "127.0.0.1", details: { changes: { brandName: "Métropole" } } });
  });

  it("filters by time and pages with a cursor, newest first, without overlap", async () => {
    const before = new Date().toISOString();
    const actor = await s.createUser();
    for (let i = 0; i < 7; i++)
      await audit(s.kernel.db, { actorId: actor.id, action: "test.thing.done", details: { i } });
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(
        `actor=${actor.id}&limit=3&from=${encodeURIComponent(before)}${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...page.items.map((e) => e.details.i as number));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect((await list(`actor=${actor.id}&to=${encodeURIComponent(before)}`)).items).toEqual([]);
    expect((await admin.get("/api/admin/audit?from=yesterday")).status).toBe(400);
    expect((await admin.get("/api/admin/audit?action=DROP%20TABLE")).status).toBe(400);
  });

  it("exports CSV with quoting and formula-injection protection", async () => {
    const actor = await s.createUser();
    await audit(s.kernel.db, {
      actorId: actor.id,
      action: "test.csv.row",
      target: { type: "doc", id: '=HYPERLINK("http://evil")' },
      ip: "10.0.0.1",
      details: { note: 'a "quoted", multi\nline' },
    });
    const r = await admin.get(`/api/admin/audit.csv?actor=${actor.id}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("text/csv");
    expect(r.headers.get("content-disposition")).toMatch(/attachment; filename="audit-.*\.csv"/);
    const lines = r.text.split("\r\n");
    expect(lines[0]).toBe("id,at,actor_id,actor_username,action,target_type,target_id,ip,details");
    expect(r.text).toContain(
      `,test.csv.row,doc,"'=HYPERLINK(""http://evil"")",10.0.0.1,"{""note"":""a \\""quoted\\"", multi\\nline""}"`,
    );
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(null)).toBe("");
    // The export itself is audited.
    expect((await list("action=audit.log.exported")).items.length).toBeGreaterThan(0);
  });

  it("applies the retention setting in a cluster job", async () => {
    const actor = await s.createUser();
    const old = new Date(Date.now() - 3 * 86_400_000).toISOString();
    await audit(s.kernel.db, { actorId: actor.id, action: "test.old.entry", at: old });
    await audit(s.kernel.db, { actorId: actor.id, action: "test.new.entry" });
    expect((await admin.patch("/api/admin/audit/settings", { retentionDays: 0 })).status).toBe(400);
    const set = await admin.patch("/api/admin/audit/settings", { retentionDays: 2 });
    expect(set.body).toEqual({ retentionDays: 2 });
    expect((await admin.get("/api/admin/audit/settings")).body).toEqual({ retentionDays: 2 });
    expect(await s.kernel.jobs.runNow("audit.retention")).toBe(true);
    expect((await list(`actor=${actor.id}`)).items.map((e) => e.action)).toEqual(["test.new.entry"]);
    expect((await list("action=audit.settings.updated")).items[0]?.details).toEqual({
      from: { retentionDays: 365 },
      to: { retentionDays: 2 },
    });
  });

  it("only those with audit.view see the log; to others it does not exist", async () => {
    await runMatrix(s, {
      resource: "audit log",
      setup: async (ctx) => ({ actors: { owner: (await ctx.newUser("member")).client } }),
      rows: [
        {
          action: "list",
          request: () => ({ method: "GET", path: "/api/admin/audit" }),
          expect: { anonymous: "auth", guest: "hidden", member: "hidden", owner: "hidden", admin: "allow" },
        },
        {
          action: "export csv",
          request: () => ({ method: "GET", path: "/api/admin/audit.csv" }),
          expect: { anonymous: "auth", guest: "hidden", member: "hidden", owner: "hidden", admin: "allow" },
        },
        {
          action: "read retention",
          request: () => ({ method: "GET", path: "/api/admin/audit/settings" }),
          expect: { anonymous: "auth", guest: "hidden", member: "hidden", owner: "hidden", admin: "allow" },
        },
        {
          action: "change retention",
          request: () => ({ method: "PATCH", path: "/api/admin/audit/settings", body: { retentionDays: 400 } }),
          expect: { anonymous: "auth", guest: "hidden", member: "hidden", owner: "hidden", admin: "allow" },
        },
      ],
    });
  });
});
