import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import { createRoom, send } from "./extras-fixtures.ts";

let server: TestServer;
let admin: TestClient;
let owner: TestClient;
let member: TestClient;
let memberUser: { id: string };
let outsider: TestClient;
let roomId: string;

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

type Retention = { roomId: string; days: number | null; globalDays: number; effectiveDays: number };

describe("what the moderation drawer reads", () => {
  it("a room's retention: the moderators and administrators see its own setting, the global one and what applies", async () => {
    const first = await owner.get<Retention>(`/api/chat/rooms/${roomId}/retention`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ roomId, days: null, globalDays: 0, effectiveDays: 0 });
    expect((await admin.put("/api/chat/retention", { days: 90 })).status).toBe(200);
    expect((await owner.get<Retention>(`/api/chat/rooms/${roomId}/retention`)).body).toMatchObject({
      days: null,
      globalDays: 90,
      effectiveDays: 90,
    });
    expect((await admin.put(`/api/chat/rooms/${roomId}/retention`, { days: 7 })).status).toBe(200);
    // The administrator is not a member of this private group and still reads it.
    expect((await admin.get<Retention>(`/api/chat/rooms/${roomId}/retention`)).body).toMatchObject({
      days: 7,
      globalDays: 90,
      effectiveDays: 7,
    });
    expect((await member.get(`/api/chat/rooms/${roomId}/retention`)).status).toBe(403);
    expect((await outsider.get(`/api/chat/rooms/${roomId}/retention`)).status).toBe(404);
    expect((await admin.put("/api/chat/retention", { days: null })).status).toBe(200);
  });

  it("a muted member's send is refused with its own problem code (the composer explains it)", async () => {
    expect((await owner.post(`/api/chat/rooms/${roomId}/mutes`, { userId: memberUser.id, minutes: 10 })).status).toBe(
      200,
    );
    const refused = await send(member, roomId, "puis-je parler ?");
    expect(refused.status).toBe(403);
    expect((refused.body as unknown as { code: string }).code).toBe("chat_muted");
    expect((await owner.delete(`/api/chat/rooms/${roomId}/mutes/${memberUser.id}`)).status).toBe(204);
    expect((await send(member, roomId, "merci")).status).toBe(201);
  });
});
