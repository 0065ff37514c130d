import { readdir } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";
import { createRoom, send } from "./extras-fixtures.ts";

let server: TestServer;
let admin: TestClient;
let owner: TestClient;
let member: TestClient;
let outsider: TestClient;
let roomId: string;
let png: Buffer;

interface Uploaded {
  file: {
    id: string;
    name: string;
    size: number;
    mimeType: string;
    width: number | null;
    height: number | null;
    url: string;
    thumbnailUrl: string | null;
  };
  attachment: { file: { id: string; name: string; size: number; mimeType: string } };
}

const upload = (c: TestClient, body: Buffer, name: string, type: string, room = roomId) =>
  c.request<Uploaded>("POST", `/api/chat/rooms/${room}/files?name=${encodeURIComponent(name)}`, undefined, {
    raw: body,
    headers: { "content-type": type },
  });

/** Raw bytes of a GET, with the client's cookies. */
async function bytes(
  c: TestClient,
  path: string,
): Promise<{ status: number; type: string | null; disposition: string | null; body: Buffer }> {
  const r = await fetch(new URL(path, server.url), {
    headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
  });
  return {
    status: r.status,
    type: r.headers.get("content-type"),
    disposition: r.headers.get("content-disposition"),
    body: Buffer.from(await r.arrayBuffer()),
  };
}

async function fileCount(): Promise<number> {
  const db = server.kernel.db.withTables<{ chat_files: { id: string } }>();
  const r = await db
    .selectFrom("chat_files")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

beforeAll(async () => {
  png = await sharp({ create: { width: 1200, height: 800, channels: 3, background: "#0055aa" } })
    .png()
    .toBuffer();
  server = await startTestServer();
  admin = (await server.signedIn({ role: "admin" })).client;
  owner = (await server.signedIn()).client;
  const m = await server.signedIn();
  member = m.client;
  outsider = (await server.signedIn()).client;
  roomId = await createRoom(owner, { type: "private", memberIds: [m.user.id] });
});

afterAll(async () => {
  await server.close();
});

describe("files in messages", () => {
  it("upload an image with a thumbnail, attach it, and serve both to the room's members only", async () => {
    const up = await upload(member, png, "plan de métro.png", "image/png");
    expect(up.status).toBe(201);
    expect(up.body.file).toMatchObject({
      name: "plan de métro.png",
      size: png.length,
      mimeType: "image/png",
      width: 1200,
      height: 800,
    });
    expect(up.body.file.thumbnailUrl).toBe(`/api/chat/files/${up.body.file.id}/thumbnail`);
    const sent = await send(member, roomId, "le plan", { attachments: [up.body.attachment] });
    expect(sent.status).toBe(201);
    expect(sent.body.attachments?.[0]?.file).toEqual(up.body.attachment.file);

    const got = await bytes(owner, up.body.file.url);
    expect(got.status).toBe(200);
    expect(got.type).toBe("image/png");
    expect(got.body.equals(png)).toBe(true);
    expect(got.disposition).toContain("inline");
    const thumb = await bytes(owner, up.body.file.thumbnailUrl!);
    expect(thumb.status).toBe(200);
    const meta = await sharp(thumb.body).metadata();
    expect(meta.format).toBe("webp");
    expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(480);

    expect((await bytes(outsider, up.body.file.url)).status).toBe(404);
    expect((await bytes(outsider, up.body.file.thumbnailUrl!)).status).toBe(404);
    expect((await bytes(admin, up.body.file.url)).status).toBe(404);
    expect((await server.client().get(up.body.file.url)).status).toBe(401);

    // The file row now points at its message: ready for the files service to list in its owner's space.
    const db = server.kernel.db.withTables<{
      chat_files: { id: string; message_id: string | null; owner_id: string };
    }>();
    await waitFor(
      async () =>
        (await db.selectFrom("chat_files").select("message_id").where("id", "=", up.body.file.id).executeTakeFirst())
          ?.message_id === sent.body.id,
      "the file linked to its message",
    );
  });

  it("follow a forward into another room; naming a file one cannot read shares nothing", async () => {
    const up = await upload(member, png, "partagé.png", "image/png");
    const sent = await send(member, roomId, "à partager", { attachments: [up.body.attachment] });
    // The outsider names the file in a room of their own: not enough to read it.
    const theirs = await createRoom(outsider);
    expect((await send(outsider, theirs, "je tente", { attachments: [up.body.attachment] })).status).toBe(201);
    const reader = await server.signedIn();
    const other = await createRoom(member, { memberIds: [reader.user.id] });
    expect((await bytes(reader.client, up.body.file.url)).status).toBe(404);
    const fwd = await member.post(`/api/chat/messages/${sent.body.id}/forward`, {
      roomId: other,
      clientKey: "fwd-file",
    });
    expect(fwd.status).toBe(201);
    // Events are handled in order: once the forward's share is visible, the earlier attempt was handled too.
    await waitFor(
      async () => (await bytes(reader.client, up.body.file.url)).status === 200,
      "the forwarded file readable",
    );
    expect((await bytes(reader.client, up.body.file.thumbnailUrl!)).status).toBe(200);
    expect((await bytes(outsider, up.body.file.url)).status).toBe(404);
  });

  it("serve byte ranges, so audio and video players can seek", async () => {
    const audio = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
    const up = await upload(member, audio, "son.ogg", "audio/ogg");
    const cookie = [...member.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const get = (range: string) => fetch(new URL(up.body.file.url, server.url), { headers: { cookie, range } });
    const mid = await get("bytes=100-199");
    expect(mid.status).toBe(206);
    expect(mid.headers.get("content-range")).toBe("bytes 100-199/1000");
    expect(Buffer.from(await mid.arrayBuffer()).equals(audio.subarray(100, 200))).toBe(true);
    const tail = await get("bytes=-10");
    expect(Buffer.from(await tail.arrayBuffer()).equals(audio.subarray(990))).toBe(true);
    const open = await get("bytes=995-");
    expect(open.headers.get("content-range")).toBe("bytes 995-999/1000");
    const beyond = await get("bytes=5000-");
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe("bytes */1000");
    expect((await get("bytes=0-1,5-6")).status).toBe(200);
  });

  it("delete uploads no message carries after a day, keeping attached and shared ones", async () => {
    const orphan = await upload(member, png, "abandonné.png", "image/png");
    const kept = await upload(member, png, "gardé.png", "image/png");
    const sent = await send(member, roomId, "gardé", { attachments: [kept.body.attachment] });
    const db = server.kernel.db.withTables<{ chat_files: { id: string; message_id: string | null } }>();
    await waitFor(
      async () =>
        (await db.selectFrom("chat_files").select("message_id").where("id", "=", kept.body.file.id).executeTakeFirst())
          ?.message_id === sent.body.id,
      "the kept file linked",
    );
    const { chatHousekeeping } = await import("../housekeeping.ts");
    expect((await chatHousekeeping(server.kernel)).orphans).toBe(0);
    const r = await chatHousekeeping(server.kernel, Date.now() + 25 * 3_600_000);
    expect(r.orphans).toBeGreaterThanOrEqual(1);
    expect((await bytes(member, orphan.body.file.url)).status).toBe(404);
    expect((await bytes(member, orphan.body.file.thumbnailUrl!)).status).toBe(404);
    expect((await bytes(member, kept.body.file.url)).status).toBe(200);
    const stored = await readdir(path.join(server.dataDir, "files", "chat", roomId));
    expect(stored.some((f) => f.startsWith(orphan.body.file.id))).toBe(false);
  });

  it("download other types as attachments, never rendered on our origin, and without thumbnail", async () => {
    const html = Buffer.from("<script>alert(1)</script>");
    const up = await upload(member, html, "page.html", "text/html");
    expect(up.status).toBe(201);
    expect(up.body.file.thumbnailUrl).toBeNull();
    const got = await bytes(member, up.body.file.url);
    expect(got.type).toBe("application/octet-stream");
    expect(got.disposition).toMatch(/^attachment; filename\*=UTF-8''page\.html$/);
    expect((await bytes(member, `/api/chat/files/${up.body.file.id}/thumbnail`)).status).toBe(404);
    const fake = await upload(member, Buffer.from("not an image"), "x.png", "image/png");
    expect(fake.body.file.thumbnailUrl).toBeNull();
  });

  it("refuse uploads beyond the administrator's limit with a clear 413, storing nothing", async () => {
    expect((await admin.patch("/api/chat/settings", { maxUploadMb: 1 })).status).toBe(200);
    const before = await fileCount();
    const big = Buffer.alloc(1_500_000, 7);
    const r = await upload(member, big, "big.bin", "application/octet-stream");
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ code: "payload_too_large" });
    expect(String((r.body as unknown as { detail: string }).detail)).toContain("1 MB");
    // Streamed without a declared length: cut while reading.
    const chunks = new ReadableStream<Uint8Array>({
      start(ctl) {
        for (let i = 0; i < 30; i++) ctl.enqueue(new Uint8Array(64 * 1024));
        ctl.close();
      },
    });
    const headers: Record<string, string> = {
      "content-type": "application/octet-stream",
      cookie: [...member.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      "x-csrf-token": member.cookies.get("ensemble_csrf") ?? "",
    };
    const streamed = await fetch(`${server.url}/api/chat/rooms/${roomId}/files?name=s.bin`, {
      method: "POST",
      headers,
      body: chunks,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await fileCount()).toBe(before);
    const stored = await readdir(path.join(server.dataDir, "files", "chat", roomId)).catch(() => [] as string[]);
    expect(stored.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    await admin.patch("/api/chat/settings", { maxUploadMb: 100 });
  });

  it("refuse bad uploads: no name, empty file, a room one may not post in", async () => {
    expect(
      (
        await member.request("POST", `/api/chat/rooms/${roomId}/files`, undefined, {
          raw: png,
          headers: { "content-type": "image/png" },
        })
      ).status,
    ).toBe(400);
    expect((await upload(member, Buffer.alloc(0), "empty.txt", "text/plain")).status).toBe(400);
    expect((await upload(member, png, "a/b.png", "image/png")).status).toBe(400);
    expect((await upload(outsider, png, "x.png", "image/png")).status).toBe(404);
  });
});
