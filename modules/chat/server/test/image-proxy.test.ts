import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import type { ChatMessage } from "../../shared/schemas.ts";
import { createRoom, history, send, startReceiver, type Receiver } from "./extras-fixtures.ts";

/**
 * Third-party images in messages (webhook and bot icons, Slack attachments,
 * attachments sent through the message API) reach readers only as paths of
 * this server's image proxy: a reader's browser never contacts the other site.
 */
let server: TestServer;
let site: Receiver;
let owner: TestClient;
let member: TestClient;
let roomId: string;
let png: Buffer;

const PROXIED = /^\/api\/chat\/preview-image\?url=[^&]+&sig=[A-Za-z0-9_-]{20,}$/;
const IMAGE_FIELDS = ["image_url", "thumb_url", "author_icon", "footer_icon"] as const;

beforeAll(async () => {
  png = await sharp({ create: { width: 30, height: 12, channels: 3, background: "#0055aa" } })
    .png()
    .toBuffer();
  site = await startReceiver();
  site.respond = (req) => (req.url.startsWith("/img/") ? { type: "image/png", body: png } : { status: 404 });
  // Only this one loopback address and port may be fetched; 127.0.0.2 (same machine) is refused.
  server = await startTestServer({ env: { OUTBOUND_ALLOW: `127.0.0.1:${site.port}` } });
  owner = (await server.signedIn()).client;
  const m = await server.signedIn();
  member = m.client;
  roomId = await createRoom(owner, { memberIds: [m.user.id] });
});

afterAll(async () => {
  await server.close();
  await site.close();
});

const cookieOf = (c: TestClient) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; ");

async function hookUrl(name: string): Promise<string> {
  const created = await owner.post<{ url: string }>(`/api/chat/rooms/${roomId}/incoming-webhooks`, { name });
  expect(created.status).toBe(201);
  return created.body.url.replace(server.config.publicUrl, server.url);
}

async function postHook(url: string, body: unknown): Promise<void> {
  const r = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(r.status).toBe(200);
}

const target = (path: string): string => decodeURIComponent(new URL(path, "http://x").searchParams.get("url") ?? "");

describe("third-party images in messages", () => {
  it("a webhook's icon and attachment images are presented as proxied paths, which serve the image to a reader", async () => {
    const url = await hookUrl("Graphes");
    const requestsBefore = site.requests.length;
    await postHook(url, {
      text: "rapport hebdomadaire",
      icon_url: `${site.url}/img/icon.png`,
      attachments: [
        {
          text: "graphe",
          image_url: `${site.url}/img/graph.png`,
          thumb_url: `${site.url}/img/thumb.png`,
          author_name: "Supervision",
          author_icon: `${site.url}/img/author.png`,
          footer: "CI",
          footer_icon: `${site.url}/img/footer.png`,
        },
      ],
    });
    // Posting fetched nothing: images are fetched when a reader asks for them.
    expect(site.requests.length).toBe(requestsBefore);
    const m = (await history(member, roomId)).find((x) => x.text === "rapport hebdomadaire")!;
    const a = m.attachments![0]!;
    const paths = [String(m.meta?.iconUrl), ...IMAGE_FIELDS.map((f) => String(a[f]))];
    for (const p of paths) expect(p).toMatch(PROXIED);
    expect(paths.map(target)).toEqual(
      ["icon", "graph", "thumb", "author", "footer"].map((n) => `${site.url}/img/${n}.png`),
    );
    // Nothing in the presented message names the third-party origin outside a proxied path.
    expect(JSON.stringify(m).replaceAll(/\/api\/chat\/preview-image\?url=[^"&]+/g, "")).not.toContain(
      `127.0.0.1:${site.port}`,
    );

    const r = await fetch(new URL(a.image_url!, server.url), { headers: { cookie: cookieOf(member) } });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("image/webp");
    const meta = await sharp(Buffer.from(await r.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 30, height: 12 });
    expect(site.requests.slice(requestsBefore).map((x) => x.url)).toEqual(["/img/graph.png"]);
  });

  it("the proxy answers only signed-in callers", async () => {
    const url = await hookUrl("Anonyme");
    await postHook(url, { text: "icône anonyme", icon_url: `${site.url}/img/anon.png` });
    const m = (await history(member, roomId)).find((x) => x.text === "icône anonyme")!;
    const icon = String(m.meta?.iconUrl);
    const before = site.requests.length;
    expect((await server.client().get(icon)).status).toBe(401);
    expect((await fetch(new URL(icon, server.url))).status).toBe(401);
    expect(site.requests.length).toBe(before);
    expect((await member.get(icon)).status).toBe(200);
  });

  it("the proxy refuses a loopback or private target that is not allow-listed, without reaching it", async () => {
    const url = await hookUrl("Interne");
    const refused = [
      `http://127.0.0.2:${site.port}/img/secret.png`,
      `http://[::ffff:127.0.0.1]:${site.port}/img/secret.png`,
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/x.png",
    ];
    await postHook(url, {
      text: "cibles internes",
      icon_url: refused[0],
      attachments: refused.slice(1).map((u) => ({ text: "x", image_url: u })),
    });
    const m = (await history(member, roomId)).find((x) => x.text === "cibles internes")!;
    const paths = [String(m.meta?.iconUrl), ...m.attachments!.map((a) => String(a.image_url))];
    expect(paths.map(target)).toEqual(refused.map((u) => new URL(u).toString()));
    const before = site.requests.length;
    for (const p of paths) expect((await member.get(p)).status, target(p)).toBe(404);
    expect(site.requests.length).toBe(before);
  });

  it("attachments sent through the message API are proxied too; other schemes and relative paths are dropped", async () => {
    const sent = await send(member, roomId, "", {
      attachments: [
        {
          title: "Carte",
          image_url: `${site.url}/img/map.png`,
          author_icon: "javascript:alert(1)",
          thumb_url: "//evil.example/t.png",
          footer_icon: "/api/auth/logout",
        },
        { title: "Données", image_url: "data:image/png;base64,iVBORw0KGgo=" },
      ],
    });
    expect(sent.status).toBe(201);
    const [first, second] = sent.body.attachments!;
    expect(first!.image_url).toMatch(PROXIED);
    expect(target(first!.image_url!)).toBe(`${site.url}/img/map.png`);
    expect(first).not.toHaveProperty("author_icon");
    expect(first).not.toHaveProperty("thumb_url");
    expect(first).not.toHaveProperty("footer_icon");
    expect(second).toEqual({ title: "Données" });
    const read = (await history(owner, roomId)).find((x) => x.id === sent.body.id)!;
    expect(read.attachments).toEqual(sent.body.attachments);
    expect((await owner.get(first!.image_url!)).status).toBe(200);
    // A forward carries the proxied paths, not the original address.
    const other = await createRoom(member);
    const fwd = await member.post<ChatMessage>(`/api/chat/messages/${sent.body.id}/forward`, {
      roomId: other,
      clientKey: "fwd-map",
    });
    expect(fwd.status).toBe(201);
    expect(fwd.body.attachments![0]!.image_url).toBe(first!.image_url);
  });

  it("a third-party address stored before this rule is never handed to clients", async () => {
    const sent = await send(member, roomId, "ancien message");
    const raw = JSON.stringify([
      { title: "ancien", image_url: "https://cdn.example.org/a.png", author_icon: "https://cdn.example.org/b.png" },
    ]);
    await server.kernel.db
      .withTables<{ chat_messages: { id: string; attachments: string | null; meta: string | null } }>()
      .updateTable("chat_messages")
      .set({ attachments: raw, meta: JSON.stringify({ username: "Ancien", iconUrl: "https://cdn.example.org/c.png" }) })
      .where("id", "=", sent.body.id)
      .execute();
    const m = (await history(owner, roomId)).find((x) => x.id === sent.body.id)!;
    expect(m.attachments).toEqual([{ title: "ancien" }]);
    expect(m.meta).toEqual({ username: "Ancien" });
    const single = await owner.get<ChatMessage>(`/api/chat/messages/${sent.body.id}`);
    expect(JSON.stringify(single.body)).not.toContain("cdn.example.org");
  });
});
