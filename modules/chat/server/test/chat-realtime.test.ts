import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RealtimeClient } from "@ensemble/client";
import type { WireEvent } from "@ensemble/protocol";
import { realtimeClient, startTestServer, waitFor, type TestServer } from "@ensemble/testkit";
import { roomTopic } from "../../shared/resources.ts";
import { createRoom, send, user, type ChatUser } from "./chat-fixtures.ts";

let s: TestServer;
let alice: ChatUser;
let bob: ChatUser;
let eve: ChatUser;
const open: RealtimeClient[] = [];
const track = (c: RealtimeClient) => (open.push(c), c);

beforeAll(async () => {
  s = await startTestServer();
  [alice, bob, eve] = await Promise.all([user(s), user(s), user(s)]);
});
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});
afterAll(() => s?.close());

function listen(c: RealtimeClient, topic: string) {
  const got: { seq: number; event: WireEvent }[] = [];
  const refused: string[] = [];
  const sub = c.subscribe(topic, {
    onEvent: (event, seq) => got.push({ seq, event }),
    onRefused: (r) => refused.push(r),
  });
  return { got, refused, sub };
}

describe("chat realtime", () => {
  it("two members receive messages, reactions, edits and deletes in the same order", async () => {
    const room = await createRoom(alice.client, { type: "private", memberIds: [bob.id] });
    const a = listen(track(realtimeClient(s.url, alice.client)), roomTopic(room.id));
    const b = listen(track(realtimeClient(s.url, bob.client)), roomTopic(room.id));
    await Promise.all([a.sub.ready, b.sub.ready]);

    const m1 = await send(alice.client, room.id, "un");
    const m2 = await send(bob.client, room.id, "deux");
    await bob.client.post(`/api/chat/messages/${m1.id}/reactions`, { emoji: ":tada:" });
    await alice.client.patch(`/api/chat/messages/${m1.id}`, { text: "un (modifié)" });
    await bob.client.delete(`/api/chat/messages/${m2.id}`);
    const expected = [
      "chat.message.created",
      "chat.message.created",
      "chat.reaction.added",
      "chat.message.updated",
      "chat.message.deleted",
    ];
    await waitFor(() => a.got.length >= 5 && b.got.length >= 5, "five events on both clients");
    for (const x of [a, b]) {
      expect(x.got.map((e) => e.event.name)).toEqual(expected);
      const seqs = x.got.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((p, q) => p - q));
      expect((x.got[0]!.event.payload as { message: { text: string } }).message.text).toBe("un");
      expect((x.got[3]!.event.payload as { message: { text: string } }).message.text).toBe("un (modifié)");
      expect((x.got[4]!.event.payload as { messageId: string }).messageId).toBe(m2.id);
    }
    expect(a.got.map((e) => e.seq)).toEqual(b.got.map((e) => e.seq));
  });

  it("shows typing to the other members of the room", async () => {
    const room = await createRoom(alice.client, { type: "private", memberIds: [bob.id] });
    const ca = track(realtimeClient(s.url, alice.client));
    const cb = track(realtimeClient(s.url, bob.client));
    const typing: string[] = [];
    cb.on("typing", (t) => typing.push(`${t.topic}:${t.userId}`));
    await Promise.all([listen(ca, roomTopic(room.id)).sub.ready, listen(cb, roomTopic(room.id)).sub.ready]);
    ca.typing(roomTopic(room.id));
    await waitFor(() => typing.includes(`${roomTopic(room.id)}:${alice.id}`), "bob sees alice typing");
  });

  it("refuses non-members of private rooms and cuts a removed member's feed at once", async () => {
    const room = await createRoom(alice.client, { type: "private", memberIds: [bob.id] });
    const outsider = listen(track(realtimeClient(s.url, eve.client)), roomTopic(room.id));
    await waitFor(() => outsider.refused.length === 1, "the outsider is refused");
    expect(outsider.refused).toEqual(["forbidden"]);

    const b = listen(track(realtimeClient(s.url, bob.client)), roomTopic(room.id));
    const a = listen(track(realtimeClient(s.url, alice.client)), roomTopic(room.id));
    await Promise.all([a.sub.ready, b.sub.ready]);
    expect((await alice.client.delete(`/api/chat/rooms/${room.id}/members/${bob.id}`)).status).toBe(204);
    await waitFor(() => b.refused.includes("revoked"), "bob's subscription is revoked");
    await send(alice.client, room.id, "après le départ de bob");
    await waitFor(() => a.got.some((e) => e.event.name === "chat.message.created"), "alice gets the message");
    expect(b.got.some((e) => e.event.name === "chat.message.created")).toBe(false);
  });

  it("tells a new member's own feed that they were added (sidebar updates live)", async () => {
    const feed = listen(track(realtimeClient(s.url, eve.client)), `user:${eve.id}`);
    await feed.sub.ready;
    const room = await createRoom(alice.client, { type: "private" });
    await alice.client.post(`/api/chat/rooms/${room.id}/members`, { userIds: [eve.id] });
    await waitFor(
      () => feed.got.some((e) => e.event.name === "chat.member.added" && e.event.resources.room === room.id),
      "eve's feed has the room",
    );
  });
});
