import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloseCodes } from "@ensemble/protocol";
import { realtimeClient, startTestServer, waitFor, type TestServer } from "@ensemble/testkit";
import { matrixUser } from "@ensemble/testkit/matrix";

describe("deactivation signs the user out everywhere", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ env: { RATE_LIMIT_SIGNIN_PER_MIN: "1000" } });
  });
  afterAll(async () => s.close());

  it("ends every live session and stops every app token at once, and they stay dead after reactivation", async () => {
    const admin = await matrixUser(s, "admin");
    const { client: laptop, user } = await s.signedIn();
    const phone = s.client();
    expect((await phone.post("/api/auth/sign-in", { login: user.username, password: user.password })).status).toBe(200);
    const created = await laptop.post<{ token: string }>("/api/me/tokens", { name: "sync", scopes: ["read", "write"] });
    expect(created.status).toBe(201);
    const bearer = s.client();
    bearer.headers.authorization = `Bearer ${created.body.token}`;
    const basic = s.client();
    basic.headers.authorization = `Basic ${Buffer.from(`${user.username}:${created.body.token}`).toString("base64")}`;
    for (const c of [laptop, phone, bearer, basic]) expect((await c.get("/api/me")).status).toBe(200);
    const socket = realtimeClient(s.url, laptop, { maxBackoffMs: 50 });
    await socket.opened();
    const closes: number[] = [];
    socket.on("close", (e) => closes.push(e.code));

    const r = await admin.client.patch<{ deactivated: boolean }>(`/api/admin/users/${user.id}`, { deactivated: true });
    expect(r.status).toBe(200);
    expect(r.body.deactivated).toBe(true);

    // Right after the answer, not eventually.
    for (const c of [laptop, phone, bearer, basic]) expect((await c.get("/api/me")).status).toBe(401);
    await waitFor(() => closes.includes(CloseCodes.sessionEnded.code), "the live WebSocket closing with 4003");
    expect(socket.state).toBe("closed");
    expect((await laptop.post("/api/groups", { name: "trop tard" })).status).toBe(401);
    expect(await s.kernel.db.selectFrom("sessions").select("id").where("user_id", "=", user.id).execute()).toEqual([]);
    const signIn = await s.client().post("/api/auth/sign-in", { login: user.username, password: user.password });
    expect(signIn.status).toBe(401);

    // Reactivation lets the person sign in again, but what was cut off stays cut off.
    expect((await admin.client.patch(`/api/admin/users/${user.id}`, { deactivated: false })).status).toBe(200);
    for (const c of [laptop, phone, bearer, basic]) expect((await c.get("/api/me")).status).toBe(401);
    expect((await s.client().post("/api/auth/sign-in", { login: user.username, password: user.password })).status).toBe(
      200,
    );
  });

  it("leaves other people's sessions alone", async () => {
    const admin = await matrixUser(s, "admin");
    const target = await matrixUser(s);
    const bystander = await matrixUser(s);
    await admin.client.patch(`/api/admin/users/${target.id}`, { deactivated: true });
    expect((await target.client.get("/api/me")).status).toBe(401);
    expect((await bystander.client.get("/api/me")).status).toBe(200);
    expect((await admin.client.get("/api/me")).status).toBe(200);
  });

  it("refuses an administrator deactivating themselves", async () => {
    const admin = await matrixUser(s, "admin");
    await matrixUser(s, "admin");
    const r = await admin.client.patch(`/api/admin/users/${admin.id}`, { deactivated: true });
    expect(r.status).toBe(409);
    expect((await admin.client.get("/api/me")).status).toBe(200);
  });
  it("is one command: the admin API and k.users.deactivate (bots, CLI) cut the same credentials and are audited with how", async () => {
    const admin = await matrixUser(s, "admin");
    const byApi = await matrixUser(s);
    const byService = await matrixUser(s);
    const token = await byService.client.post<{ token: string }>("/api/me/tokens", { name: "t", scopes: ["read"] });
    expect(token.status).toBe(201);
    const bearer = s.client();
    bearer.headers.authorization = `Bearer ${token.body.token}`;
    expect((await bearer.get("/api/me")).status).toBe(200);

    expect((await admin.client.patch(`/api/admin/users/${byApi.id}`, { deactivated: true })).status).toBe(200);
    const r = await s.kernel.users.deactivate(byService.id, { actorId: admin.id, via: "bot" });
    expect(r).toMatchObject({ already: false, sessions: 1, tokens: 1 });
    expect(await s.kernel.users.deactivate(byService.id, { actorId: admin.id, via: "bot" })).toMatchObject({
      already: true,
    });
    for (const c of [byApi.client, byService.client, bearer]) expect((await c.get("/api/me")).status).toBe(401);

    type Entry = { action: string; target: { id: string } | null; details: { payload?: { via?: string } } };
    const entries = async () =>
      (await admin.client.get<{ items: Entry[] }>("/api/admin/audit?action=accounts.user.deactivated")).body.items;
    await waitFor(
      async () => (await entries()).filter((e) => [byApi.id, byService.id].includes(e.target?.id ?? "")).length === 2,
      "both deactivations in the audit log",
    );
    const all = await entries();
    expect(all.find((e) => e.target?.id === byApi.id)?.details.payload?.via).toBe("admin");
    // Once only: the second call changed nothing and recorded nothing.
    expect(all.filter((e) => e.target?.id === byService.id).map((e) => e.details.payload?.via)).toEqual(["bot"]);
  });

  it("refuses to deactivate the last active administrator through the service too", async () => {
    const admins = await s.kernel.db
      .selectFrom("users")
      .select("id")
      .where("role", "=", "admin")
      .where("deactivated", "=", 0)
      .execute();
    for (const a of admins.slice(1)) await s.kernel.users.deactivate(a.id, { actorId: null, via: "cli" });
    await expect(s.kernel.users.deactivate(admins[0]!.id, { actorId: null, via: "cli" })).rejects.toMatchObject({
      code: "conflict",
    });
    expect((await s.kernel.users.findById(admins[0]!.id))?.deactivated).toBe(0);
  });
});
