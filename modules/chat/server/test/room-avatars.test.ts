import { readdir } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RealtimeClient } from "@ensemble/client";
import type { WireEvent } from "@ensemble/protocol";
import {
  realtimeClient,
  runMatrix,
  startTestServer,
  waitFor,
  type MatrixContext,
  type TestClient,
  type TestServer,
} from "@ensemble/testkit";
import type { Room } from "../../shared/schemas.ts";
import { roomTopic } from "../../shared/resources.ts";
import { createRoom, setRole, user, type ChatUser } from "./chat-fixtures.ts";

let s: TestServer;
let owner: ChatUser;
let member: ChatUser;
let outsider: ChatUser;
let png: Buffer;
const open: RealtimeClient[] = [];

beforeAll(async () => {
  png = await sharp({ create: { width: 600, height: 300, channels: 3, background: "#aa3300" } })
    .png()
    .toBuffer();
  s = await startTestServer();
  [owner, member, outsider] = await Promise.all([user(s), user(s), user(s)]);
});
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});
afterAll(() => s?.close());

const put = (c: TestClient, roomId: string, body: Buffer, type = "image/png") =>
  c.request<Room & { code?: string }>("PUT", `/api/chat/rooms/${roomId}/avatar`, undefined, {
    raw: body,
    headers: { "content-type": type },
  });

/** Raw GET with the client's cookies (the avatar is bytes, not JSON). */
async function fetchAvatar(c: TestClient, url: string, headers: Record<string, string> = {}) {
  const r = await fetch(new URL(url, s.url), {
    headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; "), ...headers },
  });
  return { status: r.status, headers: r.headers, body: Buffer.from(await r.arrayBuffer()) };
}

/** Room pictures kept on disk (every upload gets its own blob). */
async function avatarBlobs(roomId: string): Promise<string[]> {
  try {
    return await readdir(path.join(s.kernel.config.dataDir, "files", "chat", "rooms", roomId));
  } catch {
    return [];
  }
}

const roomOf = async (c: TestClient, id: string) => (await c.get<Room>(`/api/chat/rooms/${id}`)).body;

describe("room avatars", () => {
  it("the owner sets, replaces and removes the picture; members see it live and read it", async () => {
    const room = await createRoom(owner.client, { type: "private", memberIds: [member.id] });
    expect(room.avatarUrl).toBeNull();
    const rt = realtimeClient(s.url, member.client);
    open.push(rt);
    const got: WireEvent[] = [];
    const sub = rt.subscribe(roomTopic(room.id), { onEvent: (e) => got.push(e) });
    await sub.ready;

    const up = await put(owner.client, room.id, png);
    expect(up.status).toBe(200);
    expect(up.body.avatarUrl).toMatch(new RegExp(`^/api/chat/rooms/${room.id}/avatar\\?v=`));
    await waitFor(() => got.some((e) => e.name === "chat.room.updated"), "chat.room.updated on the room");
    const ev = got.find((e) => e.name === "chat.room.updated")!.payload as { room: Room };
    expect(ev.room.avatarUrl).toBe(up.body.avatarUrl);
    expect((await roomOf(member.client, room.id)).avatarUrl).toBe(up.body.avatarUrl);

    const img = await fetchAvatar(member.client, up.body.avatarUrl!);
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/webp");
    expect(img.headers.get("x-content-type-options")).toBe("nosniff");
    expect(img.headers.get("cache-control")).toContain("private");
    const meta = await sharp(img.body).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 256, 256]);
    const etag = img.headers.get("etag")!;
    expect(etag).toBeTruthy();
    expect((await fetchAvatar(member.client, up.body.avatarUrl!, { "if-none-match": etag })).status).toBe(304);

    // A new picture: a new URL (caches refresh), a new validator, and the old blob is gone.
    const gif = await sharp({ create: { width: 40, height: 40, channels: 3, background: "#00ff00" } })
      .gif()
      .toBuffer();
    const again = await put(owner.client, room.id, gif, "image/gif");
    expect(again.status).toBe(200);
    expect(again.body.avatarUrl).not.toBe(up.body.avatarUrl);
    const img2 = await fetchAvatar(member.client, again.body.avatarUrl!);
    expect(img2.headers.get("etag")).not.toBe(etag);
    expect(await avatarBlobs(room.id)).toHaveLength(1);

    const del = await owner.client.delete<Room>(`/api/chat/rooms/${room.id}/avatar`);
    expect(del.status).toBe(200);
    expect(del.body.avatarUrl).toBeNull();
    expect((await roomOf(member.client, room.id)).avatarUrl).toBeNull();
    expect((await fetchAvatar(member.client, `/api/chat/rooms/${room.id}/avatar`)).status).toBe(404);
    expect(await avatarBlobs(room.id)).toHaveLength(0);
  });

  it("a member without manage is refused; someone outside a private group gets 404; nothing changes", async () => {
    const room = await createRoom(owner.client, { type: "private", memberIds: [member.id] });
    const up = await put(owner.client, room.id, png);
    expect((await put(member.client, room.id, png)).status).toBe(403);
    expect((await member.client.delete(`/api/chat/rooms/${room.id}/avatar`)).status).toBe(403);
    expect((await put(outsider.client, room.id, png)).status).toBe(404);
    expect((await outsider.client.delete(`/api/chat/rooms/${room.id}/avatar`)).status).toBe(404);
    expect((await fetchAvatar(outsider.client, up.body.avatarUrl!)).status).toBe(404);
    expect((await s.client().get(up.body.avatarUrl!)).status).toBe(401);
    expect((await roomOf(owner.client, room.id)).avatarUrl).toBe(up.body.avatarUrl);
    // A moderator moderates; changing the room's looks is the owner's.
    await setRole(owner.client, room.id, member.id, "moderator");
    expect((await put(member.client, room.id, png)).status).toBe(403);
  });

  it("refuses what is not an image, too large, or a DM; the room keeps its picture", async () => {
    const room = await createRoom(owner.client, { type: "channel" });
    const up = await put(owner.client, room.id, png);
    const before = await avatarBlobs(room.id);

    const html = Buffer.from("<!doctype html><html><script>alert(1)</script></html>");
    const disguised = await put(owner.client, room.id, html, "image/png");
    expect(disguised.status).toBe(422);
    expect(disguised.body.code).toBe("invalid_image");
    // PNG magic bytes followed by garbage: the decoder refuses it too.
    const truncated = await put(owner.client, room.id, Buffer.concat([png.subarray(0, 8), html]));
    expect(truncated.status).toBe(422);
    const svg = await put(
      owner.client,
      room.id,
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      "image/svg+xml",
    );
    expect(svg.status).toBe(422);
    expect((await put(owner.client, room.id, Buffer.alloc(0))).status).toBe(422);
    const huge = await sharp({ create: { width: 1500, height: 1500, channels: 3, background: "#123456" } })
      .raw()
      .toBuffer()
      .then((raw) =>
        sharp(raw, { raw: { width: 1500, height: 1500, channels: 3 } })
          .png({ compressionLevel: 0 })
          .toBuffer(),
      );
    expect(huge.length).toBeGreaterThan(1_048_576);
    const tooLarge = await put(owner.client, room.id, huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.code).toBe("payload_too_large");

    expect((await roomOf(owner.client, room.id)).avatarUrl).toBe(up.body.avatarUrl);
    expect(await avatarBlobs(room.id)).toEqual(before);
    expect((await fetchAvatar(owner.client, up.body.avatarUrl!)).status).toBe(200);

    const dm = (await owner.client.post<Room>("/api/chat/direct", { userIds: [member.id] })).body;
    expect(dm.avatarUrl).toBeNull();
    expect((await put(owner.client, dm.id, png)).status).toBe(403);
  });

  it("an archived room's picture is read but not changed", async () => {
    const room = await createRoom(owner.client, { type: "channel" });
    const up = await put(owner.client, room.id, png);
    expect((await owner.client.post(`/api/chat/rooms/${room.id}/archive`)).status).toBe(200);
    expect((await put(owner.client, room.id, png)).status).toBe(403);
    expect((await fetchAvatar(outsider.client, up.body.avatarUrl!)).status).toBe(200);
  });

  it("who may read a room's picture (matrix)", { timeout: 120_000 }, async () => {
    for (const type of ["channel", "private"] as const) {
      await runMatrix(s, {
        resource: `chat ${type} avatar`,
        extraActors: ["roomMember"],
        setup: async (ctx: MatrixContext) => {
          const [o, m] = await Promise.all([ctx.newUser(), ctx.newUser()]);
          const r = await createRoom(o.client, { type, memberIds: [m.id] });
          const res = await put(o.client, r.id, png);
          if (res.status !== 200) throw new Error(`avatar: ${res.status} ${res.text}`);
          return { actors: { owner: o.client, roomMember: m.client }, url: res.body.avatarUrl! };
        },
        rows: [
          {
            action: "read avatar",
            request: (f: { url: string }) => ({ method: "GET", path: f.url }),
            expect:
              type === "channel"
                ? {
                    anonymous: "auth",
                    guest: "hidden",
                    member: "allow",
                    owner: "allow",
                    admin: "allow",
                    roomMember: "allow",
                  }
                : {
                    anonymous: "auth",
                    guest: "hidden",
                    member: "hidden",
                    owner: "allow",
                    admin: "hidden",
                    roomMember: "allow",
                  },
          },
        ],
      });
    }
  });
});
