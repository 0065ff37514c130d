import { afterAll, beforeAll, describe, expect, it } from "vitest";
import sharp from "sharp";
import { startTestServer, type TestServer } from "@ensemble/testkit";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const png = (w: number, h: number) =>
  sharp({ create: { width: w, height: h, channels: 4, background: "#18753c" } })
    .png()
    .toBuffer();

describe("branding", () => {
  it("is public: name, colour, default language and logo URL", async () => {
    const r = await server.client().get("/api/branding");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ name: "Ensemble", color: "#000091", defaultLocale: "fr", logoUrl: null });
  });

  it("takes a logo from an administrator, serves it resized and removes it", async () => {
    const { client } = await server.signedIn({ role: "admin" });
    const up = await client.request<{ logoUrl: string }>("PUT", "/api/admin/branding/logo", undefined, {
      raw: new Uint8Array(await png(800, 400)),
      headers: { "content-type": "image/png" },
    });
    expect(up.status).toBe(200);
    expect(up.body.logoUrl).toMatch(/^\/api\/branding\/logo\?v=/);
    const pub = await server.client().get<{ logoUrl: string }>("/api/branding");
    expect(pub.body.logoUrl).toBe(up.body.logoUrl);

    const full = await fetch(server.url + up.body.logoUrl);
    expect(full.status).toBe(200);
    expect(full.headers.get("content-type")).toBe("image/png");
    expect(await sharp(Buffer.from(await full.arrayBuffer())).metadata()).toMatchObject({
      width: 512,
      height: 512,
      format: "png",
    });
    const small = await fetch(`${server.url}${up.body.logoUrl}&size=192`);
    expect(await sharp(Buffer.from(await small.arrayBuffer())).metadata()).toMatchObject({ width: 192, height: 192 });

    expect((await client.delete("/api/admin/branding/logo")).status).toBe(204);
    expect((await fetch(`${server.url}/api/branding/logo`)).status).toBe(404);
  });

  it("refuses a logo from members, a non-image, and a bad size; nothing changes", async () => {
    const { client: member } = await server.signedIn({ role: "member" });
    const byMember = await member.request<{ code: string }>("PUT", "/api/admin/branding/logo", undefined, {
      raw: new Uint8Array(await png(64, 64)),
      headers: { "content-type": "image/png" },
    });
    expect(byMember.status).toBe(403);
    const { client: admin } = await server.signedIn({ role: "admin" });
    const junk = await admin.request<{ code: string }>("PUT", "/api/admin/branding/logo", undefined, {
      raw: new TextEncoder().encode("not an image at all"),
      headers: { "content-type": "image/png" },
    });
    expect(junk.status).toBe(422);
    expect(junk.body.code).toBe("invalid_image");
    const svg = await admin.request<{ code: string }>("PUT", "/api/admin/branding/logo", undefined, {
      raw: new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"),
      headers: { "content-type": "image/svg+xml" },
    });
    expect(svg.status).toBe(415);
    expect((await fetch(`${server.url}/api/branding/logo?size=5000`)).status).toBe(400);
    expect((await server.client().get<{ logoUrl: null }>("/api/branding")).body.logoUrl).toBeNull();
  });
});
