import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import type { ChatMessage, Room } from "../../shared/schemas.ts";
import { createRoom, history } from "./extras-fixtures.ts";

/**
 * A call from a room (the header's button, `/call`): the meetings service,
 * reached through the kernel, starts an instant meeting organised by the
 * caller, and the room gets a message with its join button. Only those who
 * may post start one; a refusal creates no meeting.
 */
let server: TestServer;
let owner: TestClient;
let member: TestClient;
let memberUser: { id: string };
let outsider: TestClient;
let roomId: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = (await server.signedIn()).client;
  const m = await server.signedIn();
  member = m.client;
  memberUser = m.user;
  outsider = (await server.signedIn()).client;
  roomId = await createRoom(owner, { memberIds: [m.user.id] });
});
afterAll(async () => server?.close());

type Meetings = { meetings: { id: string; code: string; kind: string; title: string; organiserId: string }[] };
const meetingsOf = async (c: TestClient) => (await c.get<Meetings>("/api/meetings")).body.meetings;
const callOf = (m: ChatMessage) => m.attachments?.find((a) => a.call)?.call;

describe("calls from a chat room", () => {
  it("starts an instant meeting organised by the caller and posts its join button in the room", async () => {
    const room = await member.get<Room>(`/api/chat/rooms/${roomId}`);
    expect(room.body.actions).toContain("call");
    const r = await member.post<ChatMessage>(`/api/chat/rooms/${roomId}/call`, {});
    expect(r.status, r.text).toBe(201);
    const call = callOf(r.body)!;
    expect(call.code).toMatch(/^[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    expect(call.path).toBe(`/meetings/${call.code}`);
    expect(r.body.text).toContain(`${server.config.publicUrl.replace(/\/$/, "")}/meetings/${call.code}`);
    expect(r.body.author?.id).toBe(memberUser.id);

    // The meeting is the caller's, instant, named after the room; the others in the room see the message.
    const mine = (await meetingsOf(member)).find((m) => m.code === call.code);
    expect(mine).toMatchObject({ kind: "instant", organiserId: memberUser.id });
    const seen = (await history(owner, roomId)).find((m) => m.id === r.body.id)!;
    expect(callOf(seen)).toEqual(call);
    // Another member of the organisation goes straight in with the code.
    const joined = await owner.post<{ attendee: { state: string } }>("/api/meetings/join", { code: call.code });
    expect(joined.body.attendee.state).toBe("admitted");
  });

  it("/call does the same from the composer", async () => {
    const r = await member.post<{ responseType: string; message: ChatMessage }>(`/api/chat/rooms/${roomId}/commands`, {
      command: "/call",
      text: "",
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body.responseType).toBe("in_channel");
    const code = callOf(r.body.message)!.code;
    expect((await meetingsOf(member)).some((m) => m.code === code)).toBe(true);
  });

  it("refuses whoever may not post there, and then creates no meeting", async () => {
    const before = (await meetingsOf(member)).length;
    expect((await outsider.post(`/api/chat/rooms/${roomId}/call`, {})).status).toBe(404);
    expect(await meetingsOf(outsider)).toEqual([]);
    expect((await owner.post(`/api/chat/rooms/${roomId}/mutes`, { userId: memberUser.id })).status).toBe(200);
    const muted = await member.post(`/api/chat/rooms/${roomId}/call`, {});
    expect(muted.status).toBe(403);
    expect(muted.body).toMatchObject({ code: "chat_muted" });
    expect((await member.get<Room>(`/api/chat/rooms/${roomId}`)).body.actions).not.toContain("call");
    expect((await meetingsOf(member)).length).toBe(before);
    expect((await owner.delete(`/api/chat/rooms/${roomId}/mutes/${memberUser.id}`)).status).toBe(204);
    // A bad body changes nothing either.
    const bad = await member.post(`/api/chat/rooms/${roomId}/call`, { title: "x" });
    expect(bad.status).toBe(400);
    expect((await meetingsOf(member)).length).toBe(before);
  });

  it("a sent message cannot carry a call's join button", async () => {
    const r = await member.post<ChatMessage>(`/api/chat/rooms/${roomId}/messages`, {
      clientKey: "forged-call",
      text: "venez",
      attachments: [{ title: "piège", call: { code: "abc-defg-hjk", path: "/admin" } }],
    });
    expect(r.status, r.text).toBe(201);
    expect(callOf(r.body)).toBeUndefined();
  });
});
