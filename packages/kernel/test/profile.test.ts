import { afterAll, beforeAll, describe, expect, it } from "vitest";
import sharp from "sharp";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import { runMatrix, type MatrixContext } from "@ensemble/testkit/matrix";

const NEW_PASSWORD = "Quiet-Meadow-Lantern-58";

interface Self {
  id: string;
  displayName: string;
  email: string | null;
  locale: string;
  timeZone: string;
  statusMessage: string;
  avatarUrl: string | null;
}

const image = (format: "png" | "jpeg" | "webp" | "gif", width = 800, height = 500) =>
  sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 145 } } })
    .toFormat(format)
    .toBuffer();

const upload = (c: TestClient, body: Buffer | string, type: string) =>
  c.request<{ user: Self }>("PUT", "/api/me/avatar", undefined, {
    raw: typeof body === "string" ? body : new Uint8Array(body),
    headers: { "content-type": type },
  });

describe("profile", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ env: { RATE_LIMIT_SIGNIN_PER_MIN: "1000" } });
  });
  afterAll(async () => s.close());

  const me = async (c: TestClient) => (await c.get<{ user: Self }>("/api/me")).body.user;

  it("changes display name, language, time zone and status message", async () => {
    const { client: c } = await s.signedIn();
    const r = await c.patch<{ user: Self }>("/api/me", {
      displayName: "  Camille Martin ",
      locale: "en",
      timeZone: "America/Guadeloupe",
      statusMessage: "En télétravail",
    });
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({
      displayName: "Camille Martin",
      locale: "en",
      timeZone: "America/Guadeloupe",
      statusMessage: "En télétravail",
    });
    expect(await me(c)).toMatchObject(r.body.user);
    expect((await c.patch<{ user: Self }>("/api/me", { timeZone: "UTC" })).body.user.timeZone).toBe("UTC");
  });

  it("refuses bad profile input with 400 problem+json and changes nothing", async () => {
    const { client: c } = await s.signedIn();
    const before = await me(c);
    for (const body of [
      {},
      { locale: "de" },
      { timeZone: "Mars/Olympus_Mons" },
      { timeZone: "Europe/Paris; drop table users" },
      { timeZone: "" },
      { displayName: "" },
      { displayName: "x".repeat(81) },
      { statusMessage: "x".repeat(141) },
      { email: "not-an-address" },
      { role: "admin" },
      { displayName: "ok", deactivated: true },
      { currentPassword: "whatever" },
      [],
      "text",
    ]) {
      const r = await c.patch("/api/me", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.headers.get("content-type")).toMatch(/problem\+json/);
    }
    expect(await me(c)).toEqual(before);
  });

  it("changes the e-mail address only with the current password, and never to a taken one", async () => {
    const { client: c, user } = await s.signedIn();
    const other = await s.createUser();
    const missing = await c.patch("/api/me", { email: "new-address@example.org" });
    expect(missing.status).toBe(400);
    const wrong = await c.patch("/api/me", { email: "new-address@example.org", currentPassword: "nope-nope-nope" });
    expect(wrong.status).toBe(422);
    const taken = await c.patch("/api/me", { email: other.email!.toUpperCase(), currentPassword: user.password });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: "email_taken" });
    expect((await me(c)).email).toBe(`${user.username}@example.org`);
    const ok = await c.patch<{ user: Self }>("/api/me", {
      email: `New-${user.username}@Example.org`,
      currentPassword: user.password,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.user.email).toBe(`new-${user.username}@example.org`);
    expect(
      (
        await s
          .client()
          .post("/api/auth/sign-in", { login: `new-${user.username}@example.org`, password: user.password })
      ).status,
    ).toBe(200);
  });

  it("changes the password and signs out the other sessions", async () => {
    const { client: c, user } = await s.signedIn();
    const other = s.client();
    await other.post("/api/auth/sign-in", { login: user.username, password: user.password });
    const wrong = await c.post("/api/me/password", { current: "not-it-at-all", new: NEW_PASSWORD });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ code: "invalid_credentials" });
    const weak = await c.post("/api/me/password", { current: user.password, new: "password" });
    expect(weak.status).toBe(422);
    expect(weak.body).toMatchObject({ code: "weak_password" });
    expect((await c.post("/api/me/password", { current: user.password })).status).toBe(400);
    expect((await other.get("/api/me")).status).toBe(200);

    expect((await c.post("/api/me/password", { current: user.password, new: NEW_PASSWORD })).status).toBe(204);
    expect((await c.get("/api/me")).status).toBe(200);
    expect((await other.get("/api/me")).status).toBe(401);
    expect((await s.client().post("/api/auth/sign-in", { login: user.username, password: user.password })).status).toBe(
      401,
    );
    expect((await s.client().post("/api/auth/sign-in", { login: user.username, password: NEW_PASSWORD })).status).toBe(
      200,
    );
  });

  it("stores an uploaded avatar as a 256×256 WebP and serves it to those who may see the user", async () => {
    const { client: c, user } = await s.signedIn();
    const r = await upload(c, await image("png", 1200, 700), "image/png");
    expect(r.status).toBe(200);
    const url = r.body.user.avatarUrl!;
    expect(url).toMatch(new RegExp(`^/api/users/${user.id}/avatar\\?v=`));

    const got = await fetch(new URL(url, s.url), { headers: { cookie: cookieOf(c) } });
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("image/webp");
    expect(got.headers.get("cache-control")).toMatch(/private.*max-age=\d+/);
    const meta = await sharp(Buffer.from(await got.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 256, height: 256 });

    const etag = got.headers.get("etag")!;
    const again = await fetch(new URL(url, s.url), { headers: { cookie: cookieOf(c), "if-none-match": etag } });
    expect(again.status).toBe(304);

    const { client: colleague } = await s.signedIn();
    expect((await colleague.get(url)).status).toBe(200);
    const { client: guest } = await s.signedIn({ role: "guest" });
    expect((await guest.get(url)).status).toBe(404);
    expect((await s.client().get(url)).status).toBe(404);
  });

  it("accepts JPEG and WebP too", async () => {
    const { client: c } = await s.signedIn();
    expect((await upload(c, await image("jpeg"), "image/jpeg")).status).toBe(200);
    expect((await upload(c, await image("webp", 300, 900), "image/webp")).status).toBe(200);
  });

  it("refuses what is not an image we take, and keeps the current avatar", async () => {
    const { client: c, user } = await s.signedIn();
    const first = (await upload(c, await image("png"), "image/png")).body.user.avatarUrl;
    const cases: [Buffer | string, string, number, string][] = [
      [Buffer.from("definitely not a png"), "image/png", 422, "invalid_image"],
      [(await image("png")).subarray(0, 200), "image/png", 422, "invalid_image"],
      [await image("gif"), "image/png", 422, "invalid_image"],
      ["hello", "text/plain", 415, "unsupported_media_type"],
      [JSON.stringify({ a: 1 }), "application/json", 415, "unsupported_media_type"],
      [Buffer.alloc(5 * 1024 * 1024 + 1, 1), "image/png", 413, "payload_too_large"],
    ];
    for (const [body, type, status, code] of cases) {
      const r = await upload(c, body, type);
      expect(r.status, `${type} ${code}`).toBe(status);
      expect(r.headers.get("content-type")).toMatch(/problem\+json/);
      expect(r.body).toMatchObject({ code });
    }
    expect((await me(c)).avatarUrl).toBe(first);
    expect((await c.get(`/api/users/${user.id}/avatar`)).status).toBe(200);
  });

  it("removes the avatar", async () => {
    const { client: c, user } = await s.signedIn();
    await upload(c, await image("png"), "image/png");
    expect((await c.delete("/api/me/avatar")).status).toBe(204);
    expect((await me(c)).avatarUrl).toBeNull();
    const r = await c.get(`/api/users/${user.id}/avatar`);
    expect(r.status).toBe(404);
    expect(r.headers.get("content-type")).toMatch(/problem\+json/);
    expect((await c.delete("/api/me/avatar")).status).toBe(204);
  });

  it("enforces the actor × action matrix", async () => {
    /** A member with an avatar; `owner` is that member. */
    const fixture = async (ctx: MatrixContext) => {
      const owner = await ctx.newUser("member");
      expect((await upload(owner.client, await image("png", 64, 64), "image/png")).status).toBe(200);
      return { id: owner.id, actors: { owner: owner.client } };
    };
    await runMatrix<Awaited<ReturnType<typeof fixture>>>(s, {
      resource: "user profile",
      setup: fixture,
      rows: [
        {
          action: "read avatar",
          request: (f) => ({ method: "GET", path: `/api/users/${f.id}/avatar` }),
          expect: { anonymous: "hidden", guest: "hidden", member: "allow", owner: "allow", admin: "allow" },
        },
        {
          action: "update own profile",
          request: () => ({ method: "PATCH", path: "/api/me", body: { statusMessage: "Au bureau" } }),
          expect: { anonymous: "auth", guest: "allow", member: "allow", owner: "allow", admin: "allow" },
        },
        {
          action: "remove own avatar",
          request: () => ({ method: "DELETE", path: "/api/me/avatar" }),
          expect: { anonymous: "auth", guest: "allow", member: "allow", owner: "allow", admin: "allow" },
        },
      ],
    });
  });

  it("answers 404 for users without an avatar, unknown users and bad ids", async () => {
    const { client: c } = await s.signedIn();
    const other = await s.createUser();
    expect((await c.get(`/api/users/${other.id}/avatar`)).status).toBe(404);
    expect((await c.get("/api/users/01890000-0000-7000-8000-000000000000/avatar")).status).toBe(404);
    expect((await c.get("/api/users/nope/avatar")).status).toBe(400);
  });
});

function cookieOf(c: TestClient): string {
  return [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
}
