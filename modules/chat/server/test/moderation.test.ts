import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import { createRoom, history, send } from "./extras-fixtures.ts";

let server: TestServer;
let admin: TestClient;
let owner: TestClient;
let member: TestClient;
let memberUser: { id: string; username: string };
let outsider: TestClient;
let roomId: string;

type AuditItem = { action: string; details: Record<string, unknown> };

beforeAll(async () => {
  server = await startTestServer();
  admin = (await server.signedIn({ role: "admin" })).client;
  owner = (await server.signedIn()).client;
  const m = await server.signedIn();
  member = m.client;
  memberUser = m.user;
  outsider = (await server.signedIn()).client;
  roomId = await createRoom(owner, { memberIds: [m.user.id] });
});

afterAll(async () => {
  await server.close();
});

const audits = async (action: string) =>
  (await admin.get<{ items: AuditItem[] }>(`/api/admin/audit?action=${action}`)).body.items;

describe("reports", () => {
  it("members report a message; moderators list and resolve, deleting it", async () => {
    const bad = await send(owner, roomId, "message litigieux");
    expect((await member.post(`/api/chat/messages/${bad.body.id}/reports`, { reason: "" })).status).toBe(400);
    expect((await outsider.post(`/api/chat/messages/${bad.body.id}/reports`, { reason: "spam" })).status).toBe(404);
    const r = await member.post<{ id: string }>(`/api/chat/messages/${bad.body.id}/reports`, {
      reason: "propos déplacés",
    });
    expect(r.status).toBe(201);
    expect((await member.post(`/api/chat/messages/${bad.body.id}/reports`, { reason: "encore" })).status).toBe(409);

    expect((await member.get(`/api/chat/rooms/${roomId}/reports`)).status).toBe(403);
    expect((await outsider.get(`/api/chat/rooms/${roomId}/reports`)).status).toBe(404);
    const list = await owner.get<{
      items: { id: string; reason: string; reporter: { id: string }; message: { id: string; text: string } }[];
    }>(`/api/chat/rooms/${roomId}/reports`);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      id: r.body.id,
      reason: "propos déplacés",
      reporter: { id: memberUser.id },
      message: { id: bad.body.id, text: "message litigieux" },
    });

    expect((await member.post(`/api/chat/reports/${r.body.id}/resolve`, {})).status).toBe(403);
    const resolved = await owner.post<{ resolution: string }>(`/api/chat/reports/${r.body.id}/resolve`, {
      deleteMessage: true,
      note: "supprimé",
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.resolution).toBe("message_deleted");
    expect((await owner.post(`/api/chat/reports/${r.body.id}/resolve`, {})).status).toBe(409);
    const m = (await history(member, roomId)).find((x) => x.id === bad.body.id)!;
    expect(m.deletedAt).not.toBeNull();
    expect((await owner.get<{ items: unknown[] }>(`/api/chat/rooms/${roomId}/reports`)).body.items).toHaveLength(0);
    expect(
      (await owner.get<{ items: unknown[] }>(`/api/chat/rooms/${roomId}/reports?status=resolved`)).body.items,
    ).toHaveLength(1);
    expect((await audits("chat.report.resolved")).length).toBeGreaterThanOrEqual(1);
  });
});

describe("mutes", () => {
  it("a moderator mutes a member, who then cannot post until unmuted", async () => {
    expect((await member.post(`/api/chat/rooms/${roomId}/mutes`, { userId: memberUser.id })).status).toBe(403);
    expect((await owner.post(`/api/chat/rooms/${roomId}/mutes`, { userId: "not-a-uuid" })).status).toBe(400);
    const stranger = await server.createUser();
    expect((await owner.post(`/api/chat/rooms/${roomId}/mutes`, { userId: stranger.id })).status).toBe(404);
    const forwardable = await send(owner, roomId, "à transférer");
    const muted = await owner.post<{ until: string | null }>(`/api/chat/rooms/${roomId}/mutes`, {
      userId: memberUser.id,
    });
    expect(muted.status).toBe(200);
    expect(muted.body.until).toBeNull();
    const refused = await send(member, roomId, "puis-je parler ?");
    expect(refused.status).toBe(403);
    expect(
      (await member.post(`/api/chat/messages/${forwardable.body.id}/forward`, { roomId, clientKey: "fwd-muted" }))
        .status,
    ).toBe(403);
    expect(
      (
        await member.request("POST", `/api/chat/rooms/${roomId}/files?name=a.txt`, undefined, {
          raw: Buffer.from("x"),
          headers: { "content-type": "text/plain" },
        })
      ).status,
    ).toBe(403);
    expect((await history(member, roomId)).length).toBeGreaterThan(0);
    const list = await owner.get<{ items: { user: { id: string } }[] }>(`/api/chat/rooms/${roomId}/mutes`);
    expect(list.body.items.map((i) => i.user.id)).toEqual([memberUser.id]);
    expect((await owner.delete(`/api/chat/rooms/${roomId}/mutes/${memberUser.id}`)).status).toBe(204);
    expect((await owner.delete(`/api/chat/rooms/${roomId}/mutes/${memberUser.id}`)).status).toBe(404);
    expect((await send(member, roomId, "merci")).status).toBe(201);
    const actions = (await audits("chat.member.*")).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["chat.member.muted", "chat.member.unmuted"]));
  });

  it("a timed mute ends by itself; /mute @user works too; moderators cannot be muted", async () => {
    const r = await owner.post(`/api/chat/rooms/${roomId}/commands`, {
      command: "/mute",
      text: `@${memberUser.username} 30`,
    });
    expect(r.status).toBe(200);
    expect((await send(member, roomId, "toujours muet ?")).status).toBe(403);
    const db = server.kernel.db.withTables<{
      chat_mutes: { room_id: string; user_id: string; until: string | null };
    }>();
    const row = await db
      .selectFrom("chat_mutes")
      .select("until")
      .where("room_id", "=", roomId)
      .where("user_id", "=", memberUser.id)
      .executeTakeFirstOrThrow();
    expect(Date.parse(row.until!)).toBeGreaterThan(Date.now() + 29 * 60_000);
    // Thirty minutes later (moved back in the database rather than waited for).
    await db
      .updateTable("chat_mutes")
      .set({ until: new Date(Date.now() - 1000).toISOString() })
      .where("room_id", "=", roomId)
      .execute();
    expect((await send(member, roomId, "de retour")).status).toBe(201);

    const mod = await server.signedIn();
    await owner.post(`/api/chat/rooms/${roomId}/members`, { userIds: [mod.user.id] });
    expect((await owner.patch(`/api/chat/rooms/${roomId}/members/${mod.user.id}`, { role: "moderator" })).status).toBe(
      200,
    );
    expect((await owner.post(`/api/chat/rooms/${roomId}/mutes`, { userId: mod.user.id })).status).toBe(403);
  });
});

describe("retention", () => {
  it("is set by administrators and deletes messages older than N days (keeping thread roots with newer replies), audited", async () => {
    const room = await createRoom(owner, { memberIds: [memberUser.id] });
    const old1 = await send(owner, room, "vieux 1");
    const oldRoot = await send(owner, room, "vieux fil");
    const fresh = await send(owner, room, "récent");
    const reply = await send(member, room, "réponse récente", { parentId: oldRoot.body.id });
    const db = server.kernel.db.withTables<{ chat_messages: { id: string; created_at: string } }>();
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString();
    await db
      .updateTable("chat_messages")
      .set({ created_at: tenDaysAgo })
      .where("id", "in", [old1.body.id, oldRoot.body.id])
      .execute();

    expect((await owner.put(`/api/chat/rooms/${room}/retention`, { days: 5 })).status).toBe(403);
    expect((await admin.put(`/api/chat/rooms/${room}/retention`, { days: -1 })).status).toBe(400);
    expect((await admin.put(`/api/chat/rooms/${room}/retention`, { days: 5 })).status).toBe(200);
    expect((await owner.post("/api/chat/retention/run")).status).toBe(403);
    const run = await admin.post<{ rooms: { roomId: string; deleted: number }[] }>("/api/chat/retention/run");
    expect(run.body.rooms).toContainEqual({ roomId: room, deleted: 1 });
    const left = (await history(owner, room)).map((m) => m.id);
    expect(left).toEqual(expect.arrayContaining([oldRoot.body.id, fresh.body.id]));
    expect(left).not.toContain(old1.body.id);
    expect((await owner.get(`/api/chat/messages/${old1.body.id}`)).status).toBe(404);
    expect((await owner.get(`/api/chat/messages/${reply.body.id}`)).status).toBe(200);

    const settings = await admin.get<{ days: number; rooms: { roomId: string; days: number }[] }>(
      "/api/chat/retention",
    );
    expect(settings.body.rooms).toContainEqual(expect.objectContaining({ roomId: room, days: 5 }));
    expect((await member.get("/api/chat/retention")).status).toBe(403);
    const applied = await audits("chat.retention.applied");
    expect(applied.some((a) => a.details.deleted === 1)).toBe(true);
    expect((await audits("chat.retention.updated")).length).toBeGreaterThan(0);

    // The global setting applies to rooms without their own; other rooms' recent messages stay.
    expect((await admin.put("/api/chat/retention", { days: 365 })).status).toBe(200);
    expect((await admin.put(`/api/chat/rooms/${room}/retention`, { days: null })).status).toBe(200);
    const again = await admin.post<{ rooms: unknown[] }>("/api/chat/retention/run");
    expect(again.body.rooms).toEqual([]);
    expect((await history(owner, roomId)).length).toBeGreaterThan(0);
  });
});
