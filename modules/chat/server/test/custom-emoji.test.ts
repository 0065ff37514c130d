import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RealtimeClient } from "@ensemble/client";
import type { WireEvent } from "@ensemble/protocol";
import { realtimeClient, startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";
import type { CustomEmoji } from "../../shared/emoji-data.ts";
import { CUSTOM_EMOJI_TOPIC } from "../../shared/emoji-data.ts";
import type { ChatMessage } from "../../shared/schemas.ts";
import { createRoom, send } from "./extras-fixtures.ts";

let server: TestServer;
let admin: TestClient;
let member: TestClient;
let guest: TestClient;
let roomId: string;
let png: Buffer;
let gif: Buffer;
const sockets: RealtimeClient[] = [];

const upload = (c: TestClient, name: string, body: Buffer, type = "image/png") =>
  c.request<CustomEmoji & { code?: string }>("POST", `/api/chat/emoji?name=${encodeURIComponent(name)}`, undefined, {
    raw: body,
    headers: { "content-type": type },
  });
const list = async (c: TestClient) => (await c.get<{ items: CustomEmoji[] }>("/api/chat/emoji")).body.items;

/** Raw bytes of a GET, with the client's cookies. */
async function bytes(c: TestClient, path: string, headers: Record<string, string> = {}) {
  const r = await fetch(new URL(path, server.url), {
    headers: { ...headers, cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
  });
  return { status: r.status, headers: r.headers, body: Buffer.from(await r.arrayBuffer()) };
}

interface AuditItem {
  action: string;
  target: { type: string; id: string } | null;
}
const audits = async (action: string) =>
  (await admin.get<{ items: AuditItem[] }>(`/api/admin/audit?action=${action}`)).body.items;

beforeAll(async () => {
  png = await sharp({ create: { width: 32, height: 32, channels: 4, background: "#e63946" } })
    .png()
    .toBuffer();
  gif = await sharp({ create: { width: 16, height: 16, channels: 3, background: "#2a9d8f" } })
    .gif()
    .toBuffer();
  server = await startTestServer();
  admin = (await server.signedIn({ role: "admin" })).client;
  const m = await server.signedIn();
  member = m.client;
  guest = (await server.signedIn({ role: "guest" })).client;
  roomId = await createRoom(admin, { type: "private", memberIds: [m.user.id] });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await server.close();
});

describe("custom emoji", () => {
  it("an administrator uploads one; everyone (guests too) lists it and gets the image with safe, long-lived headers", async () => {
    const feed = realtimeClient(server.url, member);
    sockets.push(feed);
    const got: WireEvent[] = [];
    const sub = feed.subscribe(CUSTOM_EMOJI_TOPIC, { onEvent: (e) => got.push(e) });
    await sub.ready;

    const up = await upload(admin, "party_parrot", png);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ name: "party_parrot", createdBy: { username: expect.any(String) } });
    expect(up.body.url).toMatch(/^\/api\/chat\/emoji\/party_parrot\?v=[0-9a-f-]{36}$/);

    for (const c of [admin, member, guest]) expect((await list(c)).map((e) => e.name)).toContain("party_parrot");

    const img = await bytes(guest, up.body.url);
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/png");
    expect(img.headers.get("x-content-type-options")).toBe("nosniff");
    expect(img.headers.get("cache-control")).toContain("immutable");
    expect(img.body.equals(png)).toBe(true);
    const etag = img.headers.get("etag");
    expect(etag).toBeTruthy();
    expect((await bytes(member, up.body.url, { "if-none-match": etag! })).status).toBe(304);
    // Without the version the browser checks again each time.
    expect((await bytes(member, "/api/chat/emoji/party_parrot")).headers.get("cache-control")).toBe(
      "private, no-cache",
    );

    await waitFor(() => got.some((e) => e.name === "chat.emoji.created"), "chat.emoji.created on the chat:emoji topic");
    expect(got.find((e) => e.name === "chat.emoji.created")?.payload).toMatchObject({
      emoji: { name: "party_parrot", url: up.body.url },
    });
    expect((await audits("chat.emoji.created")).some((a) => a.target?.id === "party_parrot")).toBe(true);
  });

  it("the type comes from the bytes: a GIF declared as PNG is served as a GIF", async () => {
    const up = await upload(admin, "spinner", gif, "image/png");
    expect(up.status).toBe(201);
    expect((await bytes(member, up.body.url)).headers.get("content-type")).toBe("image/gif");
  });

  it("refuses non-administrators, bad names, taken names, oversized and non-image files, and changes nothing", async () => {
    const before = await list(admin);
    expect((await upload(member, "mine", png)).status).toBe(403);
    expect((await upload(guest, "mine", png)).status).toBe(403);
    for (const bad of ["A", "x", "Capital", "with space", "a".repeat(33), "émoji", "dot.name"]) {
      const r = await upload(admin, bad, png);
      expect(r.status, bad).toBe(400);
      expect(r.body.code).toBe("emoji_name_invalid");
    }
    // A bundled shortcode and an existing custom one.
    for (const taken of ["tada", "party_parrot"]) {
      const r = await upload(admin, taken, png);
      expect(r.status, taken).toBe(409);
      expect(r.body.code).toBe("emoji_name_taken");
    }
    const big = Buffer.concat([png, Buffer.alloc(300 * 1024)]);
    const tooBig = await upload(admin, "huge", big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.code).toBe("emoji_too_large");
    // HTML and SVG named like an image: refused from their bytes.
    const html = await upload(admin, "sneaky", Buffer.from("<!doctype html><script>alert(1)</script>"), "image/png");
    expect(html.status).toBe(415);
    expect(html.body.code).toBe("emoji_unsupported_type");
    const svg = await upload(
      admin,
      "vector",
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      "image/svg+xml",
    );
    expect(svg.status).toBe(415);
    // PNG magic followed by garbage: not an image.
    const broken = await upload(admin, "broken", Buffer.concat([png.subarray(0, 8), Buffer.from("not really a png")]));
    expect(broken.status).toBe(422);
    expect((await upload(admin, "empty", Buffer.alloc(0))).status).toBe(415);
    expect(await list(admin)).toEqual(before);
    expect((await bytes(member, "/api/chat/emoji/sneaky")).status).toBe(404);
  });

  it("reactions take a custom emoji that exists, refuse an unknown one, and still take off one that was deleted", async () => {
    const sent = await send(member, roomId, "on a livré :party_parrot:");
    expect(sent.status).toBe(201);
    const id = sent.body.id;
    const on = await member.post<{ reacted: boolean; count: number }>(`/api/chat/messages/${id}/reactions`, {
      emoji: ":party_parrot:",
    });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ reacted: true, count: 1 });
    const unknown = await member.post<{ code: string }>(`/api/chat/messages/${id}/reactions`, {
      emoji: ":no_such_emoji:",
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe("emoji_unknown");
    // Bundled shortcodes in the same form stay accepted.
    expect((await member.post(`/api/chat/messages/${id}/reactions`, { emoji: ":tada:" })).status).toBe(200);
    const msg = await member.get<ChatMessage>(`/api/chat/messages/${id}`);
    expect(msg.body.reactions.map((r) => r.emoji).sort()).toEqual([":party_parrot:", ":tada:"]);

    expect((await member.delete("/api/chat/emoji/party_parrot")).status).toBe(403);
    expect((await admin.delete("/api/chat/emoji/party_parrot")).status).toBe(204);
    expect((await admin.delete("/api/chat/emoji/party_parrot")).status).toBe(404);
    expect((await list(member)).map((e) => e.name)).not.toContain("party_parrot");
    expect((await bytes(member, "/api/chat/emoji/party_parrot")).status).toBe(404);
    expect((await audits("chat.emoji.deleted")).some((a) => a.target?.id === "party_parrot")).toBe(true);

    // Gone: adding it is refused, taking it off still works.
    expect((await admin.post(`/api/chat/messages/${id}/reactions`, { emoji: ":party_parrot:" })).status).toBe(400);
    const off = await member.post<{ reacted: boolean; count: number }>(`/api/chat/messages/${id}/reactions`, {
      emoji: ":party_parrot:",
    });
    expect(off.body).toMatchObject({ reacted: false, count: 0 });
  });
});
