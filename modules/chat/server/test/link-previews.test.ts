import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";
import { startTestDns, type TestDnsServer } from "@ensemble/testkit/dns-server";
import type { ChatMessage } from "../../shared/schemas.ts";
import { createRoom, history, send, startReceiver, type Receiver } from "./extras-fixtures.ts";

let server: TestServer;
let site: Receiver;
let dns: TestDnsServer;
let owner: TestClient;
let member: TestClient;
let roomId: string;
let png: Buffer;

const ARTICLE = (base: string) => `<!doctype html><html><head>
  <meta charset="utf-8">
  <title>Titre de repli</title>
  <script>document.write('<meta property="og:title" content="injected">')</script>
  <!-- <meta property="og:title" content="commented out"> -->
  <meta property="og:title" content="Plan vélo 2027 &amp; pistes">
  <meta property="og:description" content="La métropole double ses pistes cyclables.">
  <meta property="og:site_name" content="Métropole">
  <meta property="og:image" content="${base}/image.png">
</head><body><meta property="og:title" content="in body"></body></html>`;

beforeAll(async () => {
  png = await sharp({ create: { width: 40, height: 20, channels: 3, background: "#cc0000" } })
    .png()
    .toBuffer();
  site = await startReceiver();
  site.respond = (req) => {
    if (req.url === "/article") return { type: "text/html; charset=utf-8", body: ARTICLE(site.url) };
    if (req.url === "/video") {
      return {
        type: "text/html",
        body: `<html><head><link rel="alternate" type="application/json+oembed" href="/oembed?u=1" title="x"></head></html>`,
      };
    }
    if (req.url === "/oembed?u=1")
      return {
        type: "application/json",
        body: JSON.stringify({
          type: "video",
          title: "Conseil métropolitain",
          provider_name: "TubeLocal",
          thumbnail_url: `${site.url}/image.png`,
        }),
      };
    if (req.url === "/image.png") return { type: "image/png", body: png };
    if (req.url === "/svg")
      return { type: "image/svg+xml", body: "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>" };
    if (req.url === "/plain") return { type: "text/plain", body: "no html here" };
    if (req.url === "/to-private")
      return { status: 302, headers: { location: `http://127.0.0.2:${site.port}/article` } };
    return { status: 404 };
  };
  dns = await startTestDns((name, n) => (name === "rebind.test" ? (n === 0 ? "93.184.215.14" : "127.0.0.1") : null));
  server = await startTestServer({
    env: { OUTBOUND_ALLOW: `127.0.0.1:${site.port},:${site.port}`, OUTBOUND_DNS_SERVERS: dns.address },
  });
  const o = await server.signedIn();
  owner = o.client;
  const m = await server.signedIn();
  member = m.client;
  roomId = await createRoom(owner, { memberIds: [m.user.id] });
});

afterAll(async () => {
  await server.close();
  await site.close();
  await dns.close();
});

async function previewed(id: string): Promise<ChatMessage> {
  let found: ChatMessage | undefined;
  await waitFor(async () => {
    found = (await history(member, roomId)).find((m) => m.id === id && m.preview !== null);
    return !!found;
  }, "the preview");
  return found!;
}

/** Waits until the server has tried (and cached) this URL, so "no preview" is a settled fact. */
async function settled(url: string): Promise<void> {
  const db = server.kernel.db.withTables<{ chat_link_previews: { url: string; data: string | null } }>();
  await waitFor(
    async () => !!(await db.selectFrom("chat_link_previews").select("url").where("url", "=", url).executeTakeFirst()),
    `a cache entry for ${url}`,
  );
}

describe("link previews", () => {
  it("read Open Graph tags of an allow-listed page (scripts, comments and body ignored) and proxy the image", async () => {
    const sent = await send(owner, roomId, `Regardez ${site.url}/article.`);
    const m = await previewed(sent.body.id);
    expect(m.preview).toMatchObject({
      url: `${site.url}/article`,
      title: "Plan vélo 2027 & pistes",
      description: "La métropole double ses pistes cyclables.",
      siteName: "Métropole",
    });
    const image = m.preview!.image!;
    expect(image.startsWith("/api/chat/preview-image?url=")).toBe(true);
    const r = await member.get(image);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("image/webp");
    const meta = await sharp(
      Buffer.from(
        await (
          await fetch(new URL(image, server.url), {
            headers: { cookie: [...member.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
          })
        ).arrayBuffer(),
      ),
    ).metadata();
    expect(meta.format).toBe("webp");
    expect(meta.width).toBe(40);
  });

  it("serve proxied images only with a valid signature, to signed-in people, and only raster images", async () => {
    const target = encodeURIComponent(`${site.url}/image.png`);
    expect((await member.get(`/api/chat/preview-image?url=${target}&sig=${"x".repeat(43)}`)).status).toBe(404);
    const sent = await send(owner, roomId, `${site.url}/article`);
    const image = (await previewed(sent.body.id)).preview!.image!;
    expect((await server.client().get(image)).status).toBe(401);
    const otherUrl = image.replace(target, encodeURIComponent(`${site.url}/svg`));
    expect((await member.get(otherUrl)).status).toBe(404);
  });

  it("use oEmbed discovery when Open Graph says nothing", async () => {
    const sent = await send(owner, roomId, `vidéo : ${site.url}/video`);
    const m = await previewed(sent.body.id);
    expect(m.preview).toMatchObject({
      url: `${site.url}/video`,
      title: "Conseil métropolitain",
      siteName: "TubeLocal",
    });
    expect(m.preview!.image).toMatch(/^\/api\/chat\/preview-image\?/);
  });

  it("are cached per URL", async () => {
    const before = site.requests.filter((r) => r.url === "/article").length;
    const sent = await send(member, roomId, `encore ${site.url}/article`);
    await previewed(sent.body.id);
    expect(site.requests.filter((r) => r.url === "/article").length).toBe(before);
  });

  it("are never made for refused targets: private, loopback, link-local, IPv6-mapped, DNS rebinding", async () => {
    const urls = [
      `http://127.0.0.2:${site.port}/article`,
      `http://[::ffff:127.0.0.1]:${site.port}/article`,
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/",
      "http://[fe80::1]/",
      `http://2130706434:${site.port}/article`,
      `http://0177.0.0.3:${site.port}/article`,
      `http://rebind.test:${site.port}/article`,
      `${site.url}/plain`,
      `${site.url}/to-private`,
    ];
    const seen = site.requests.length;
    const ids: string[] = [];
    for (const u of urls) ids.push((await send(owner, roomId, `voir ${u}`)).body.id);
    for (const u of urls) await settled(new URL(u).toString());
    const msgs = await history(owner, roomId);
    for (const id of ids)
      expect(msgs.find((m) => m.id === id)?.preview, msgs.find((m) => m.id === id)?.text).toBeNull();
    // Only allow-listed addresses were reached (a redirect to a refused one was not followed); the rebinding name was looked up once.
    expect(
      site.requests
        .slice(seen)
        .map((r) => r.url)
        .sort(),
    ).toEqual(["/plain", "/to-private"]);
    expect(dns.queries.get("rebind.test")).toBe(1);
  });

  it("follow edits: a removed link loses its preview, a new one gets its own", async () => {
    const sent = await send(member, roomId, `${site.url}/article`);
    await previewed(sent.body.id);
    expect(
      (await member.patch(`/api/chat/messages/${sent.body.id}`, { text: `finalement ${site.url}/video` })).status,
    ).toBe(200);
    await waitFor(
      async () =>
        (await history(member, roomId)).find((m) => m.id === sent.body.id)?.preview?.url === `${site.url}/video`,
      "the new preview",
    );
    expect((await member.patch(`/api/chat/messages/${sent.body.id}`, { text: "plus de lien" })).status).toBe(200);
    await waitFor(
      async () => (await history(member, roomId)).find((m) => m.id === sent.body.id)?.preview === null,
      "the preview gone",
    );
  });

  it("can be removed by the sender (or a moderator), and are not fetched again", async () => {
    const sent = await send(member, roomId, `${site.url}/article`);
    await previewed(sent.body.id);
    const removed = await member.delete<{ message: ChatMessage }>(`/api/chat/messages/${sent.body.id}/preview`);
    expect(removed.status).toBe(200);
    expect(removed.body.message.preview).toBeNull();
    expect((await history(member, roomId)).find((m) => m.id === sent.body.id)?.preview).toBeNull();
    const byOwner = await send(owner, roomId, `${site.url}/article`);
    await previewed(byOwner.body.id);
    const stranger = (await server.signedIn()).client;
    expect((await stranger.delete(`/api/chat/messages/${byOwner.body.id}/preview`)).status).toBe(404);
    expect((await member.delete(`/api/chat/messages/${byOwner.body.id}/preview`)).status).toBe(403);
    expect((await owner.delete(`/api/chat/messages/${sent.body.id}/preview`)).status).toBe(200);
    expect((await member.delete("/api/chat/messages/not-a-uuid/preview")).status).toBe(400);
  });
});
