import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TestClient, type TestServer } from "@ensemble/testkit";
import { davUser } from "./dav-fixtures.ts";

let server: TestServer;
let who: Awaited<ReturnType<typeof davUser>>;
let app: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  who = await davUser(server);
  app = new TestClient(server.url);
  app.headers.authorization = `Basic ${Buffer.from(`${who.username}:${who.password}`).toString("base64")}`;
});
afterAll(async () => {
  await server?.close();
});

/** What Nextcloud clients read before syncing: status.php and OCS (JSON or XML, v1 or v2). */
describe("Nextcloud discovery", () => {
  it("answers status.php to anyone", async () => {
    const r = await new TestClient(server.url).get<{ installed: boolean; maintenance: boolean; version: string }>(
      "/status.php",
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ installed: true, maintenance: false, productname: "Ensemble" });
    expect(r.body.version).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it("answers the capabilities in JSON when asked, XML otherwise, with v1 and v2 status codes", async () => {
    const json = await app.get<{ ocs: { meta: { statuscode: number }; data: { capabilities: { dav: unknown } } } }>(
      "/ocs/v1.php/cloud/capabilities?format=json",
    );
    expect(json.body.ocs.meta.statuscode).toBe(100);
    expect(json.body.ocs.data.capabilities.dav).toEqual({ chunking: "1.0" });
    const xml = await app.get("/ocs/v2.php/cloud/capabilities");
    expect(xml.headers.get("content-type")).toMatch(/^text\/xml/);
    expect(xml.text).toContain("<statuscode>200</statuscode>");
    expect(xml.text).toContain("<supportedTypes><element>SHA1</element>");
  });

  it("names the signed-in user, with the quota; nobody without credentials", async () => {
    const r = await app.get<{ ocs: { data: { id: string; quota: { used: number; total: number } } } }>(
      "/ocs/v2.php/cloud/user",
      { headers: { accept: "application/json" } },
    );
    expect(r.body.ocs.data.id).toBe(who.username);
    expect(r.body.ocs.data.quota.total).toBeGreaterThan(0);
    expect((await app.get("/ocs/v1.php/cloud/user?format=xml")).text).toContain(`<id>${who.username}</id>`);
    expect((await new TestClient(server.url).get("/ocs/v1.php/cloud/user?format=json")).status).toBe(401);
  });

  it("signs a client in through login flow v2: the signed-in person grants, the client collects once", async () => {
    const client = new TestClient(server.url);
    client.headers["user-agent"] = "Mozilla/5.0 (Linux) mirall/3.7.3 <b>";
    const start = await client.post<{ poll: { token: string; endpoint: string }; login: string }>(
      "/index.php/login/v2",
    );
    expect(start.status).toBe(200);
    expect(start.body.poll.endpoint).toBe(`${server.url}/index.php/login/v2/poll`);
    expect(start.body.login).toMatch(new RegExp(`^${server.url}/index\\.php/login/v2/flow/[\\w-]{43}$`));
    const loginPath = new URL(start.body.login).pathname;
    const poll = () =>
      client.request<{ server: string; loginName: string; appPassword: string }>(
        "POST",
        "/index.php/login/v2/poll",
        undefined,
        {
          raw: `token=${encodeURIComponent(start.body.poll.token)}`,
          headers: { "content-type": "application/x-www-form-urlencoded" },
        },
      );
    expect((await poll()).status).toBe(404);

    // Not signed in: the page says so and offers to sign in; nothing to grant.
    const anonymous = await new TestClient(server.url).get(loginPath, { headers: { "accept-language": "en" } });
    expect(anonymous.status).toBe(200);
    expect(anonymous.text).toContain('href="/sign-in"');
    expect(anonymous.text).not.toContain("<form");

    const { client: browser, user } = await server.signedIn();
    const grantPage = await browser.get(loginPath);
    expect(grantPage.headers.get("content-type")).toMatch(/^text\/html/);
    expect(grantPage.text).toContain('lang="fr"');
    // The client's name is shown escaped.
    expect(grantPage.text).toContain("mirall/3.7.3 &lt;b&gt;");
    const csrf = /name="csrf" value="([^"]+)"/.exec(grantPage.text)![1]!;
    const grant = (body: string) =>
      browser.request("POST", loginPath, undefined, {
        raw: body,
        csrf: false,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
    // A cross-site form (no token, or another one) grants nothing.
    expect((await grant("csrf=forged")).status).toBe(403);
    expect((await poll()).status).toBe(404);
    // A bearer token cannot grant itself a sibling either.
    const bearer = new TestClient(server.url);
    bearer.headers.authorization = `Bearer ${who.password}`;
    expect(
      (
        await bearer.request("POST", loginPath, undefined, {
          raw: `csrf=${csrf}`,
          headers: { "content-type": "application/x-www-form-urlencoded" },
        })
      ).status,
    ).toBe(403);

    expect((await grant(`csrf=${encodeURIComponent(csrf)}`)).status).toBe(200);
    const got = await poll();
    expect(got.status).toBe(200);
    expect(got.body.loginName).toBe(user.username);
    expect(got.body.server).toBe(server.url.replace(/\/$/, ""));
    // Collected once; the login URL is spent.
    expect((await poll()).status).toBe(404);
    expect((await browser.get(loginPath)).status).toBe(404);

    // The app password signs the client in to OCS and WebDAV.
    const basic = `Basic ${Buffer.from(`${user.username}:${got.body.appPassword}`).toString("base64")}`;
    const me = await new TestClient(server.url).get<{ ocs: { data: { id: string } } }>(
      "/ocs/v2.php/cloud/user?format=json",
      { headers: { authorization: basic } },
    );
    expect(me.body.ocs.data.id).toBe(user.username);
    const dav = await fetch(`${server.url}/remote.php/dav/files/${user.username}/`, {
      method: "PROPFIND",
      headers: { authorization: basic, depth: "0" },
    });
    expect(dav.status).toBe(207);
  });
});
