import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { davRequest, davUser } from "./dav-fixtures.ts";

let server: TestServer;
let alice: { username: string; password: string; url: string };
let bob: { username: string; password: string; url: string };

const raw = (
  who: { username: string; password: string },
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string } = {},
) => davRequest(server, who, method, path, opts);

const base = () => `/remote.php/dav/files/${alice.username}`;

/** What alice's root and bob's root hold, by name: an attack must leave both unchanged. */
async function listing(who: { username: string; password: string }): Promise<string[]> {
  const r = await raw(who, "PROPFIND", `/remote.php/dav/files/${who.username}/`, { headers: { depth: "1" } });
  expect(r.status).toBe(207);
  return [...r.text.matchAll(/<d:href>([^<]*)<\/d:href>/g)].map((m) => decodeURIComponent(m[1]!)).sort();
}

beforeAll(async () => {
  server = await startTestServer();
  alice = await davUser(server);
  bob = await davUser(server);
  expect((await raw(bob, "PUT", `/remote.php/dav/files/${bob.username}/secret.txt`, { body: "bob's" })).status).toBe(
    201,
  );
  expect((await raw(alice, "MKCOL", `${base()}/docs`)).status).toBe(201);
  expect((await raw(alice, "PUT", `${base()}/docs/a.txt`, { body: "alice" })).status).toBe(201);
});
afterAll(async () => {
  await server?.close();
});

describe("path and name attacks over WebDAV", () => {
  const traversals = [
    "/docs/../../" + "x.txt",
    "/docs/%2e%2e/x.txt",
    "/docs/%2E%2E/x.txt",
    "/docs/.%2e/x.txt",
    "/docs/%252e%252e/x.txt",
    "/docs/..%2fx.txt",
    "/docs/..%5cx.txt",
    "/docs/%c0%ae%c0%ae/x.txt",
    "/docs/./x.txt",
    "//etc/passwd",
    "/docs//x.txt",
    "/a%00b.txt",
    "/a%0ab.txt",
    "/a%7fb.txt",
    "/a%c2%85b.txt",
    `/${"n".repeat(256)}.txt`,
    `/${encodeURIComponent("é".repeat(128))}.txt`,
  ];
  it.each(traversals)("PUT %s is refused with a problem and writes nothing", async (p) => {
    const before = [await listing(alice), await listing(bob)];
    const r = await raw(alice, "PUT", `${base()}${p}`, { body: "evil" });
    expect([400, 404]).toContain(r.status);
    expect(r.type).toContain("application/problem+json");
    expect(JSON.parse(r.text).code).toMatch(/^(files_path_invalid|not_found|validation)$/);
    expect([await listing(alice), await listing(bob)]).toEqual(before);
  });

  it.each(["MKCOL", "DELETE", "PROPFIND", "GET"])("%s with .. in any encoding is refused", async (m) => {
    for (const p of ["/docs/%2e%2e", "/docs/..", "/%2e%2e/%2e%2e/etc"]) {
      const r = await raw(alice, m, `${base()}${p}`, { headers: { depth: "0" } });
      expect(r.status, `${m} ${p}`).toBe(400);
      expect(JSON.parse(r.text).code).toBe("files_path_invalid");
    }
    expect(await listing(alice)).toContain(`${base()}/docs/`);
  });

  it("MOVE and COPY to another user's tree, another host path or a traversal are refused", async () => {
    const before = [await listing(alice), await listing(bob)];
    const targets = [
      `${server.url}/remote.php/dav/files/${bob.username}/stolen.txt`,
      `/remote.php/dav/files/${bob.username}/stolen.txt`,
      `${server.url}${base()}/docs/../../${bob.username}/x.txt`,
      `${server.url}${base()}/docs/%2e%2e/%2e%2e/x.txt`,
      `${server.url}/api/files/x`,
      "http://elsewhere.invalid/x.txt",
    ];
    for (const m of ["MOVE", "COPY"])
      for (const destination of targets) {
        const r = await raw(alice, m, `${base()}/docs/a.txt`, { headers: { destination } });
        expect([400, 403], `${m} → ${destination}: ${r.text}`).toContain(r.status);
        expect(JSON.parse(r.text).code).toBe("files_path_invalid");
      }
    expect([await listing(alice), await listing(bob)]).toEqual(before);
  });

  it("another user's tree is unseen (404), whatever the method", async () => {
    for (const m of ["PROPFIND", "GET", "PUT", "DELETE", "MKCOL"]) {
      const r = await raw(alice, m, `/remote.php/dav/files/${bob.username}/secret.txt`, {
        headers: { depth: "0" },
        ...(m === "PUT" ? { body: "overwrite" } : {}),
      });
      expect(r.status, m).toBe(404);
    }
    const b = await raw(bob, "GET", `/remote.php/dav/files/${bob.username}/secret.txt`);
    expect(b.text).toBe("bob's");
  });

  it("asks for credentials without them, refuses a wrong app password", async () => {
    const none = await fetch(`${server.url}${base()}/`, { method: "PROPFIND", headers: { depth: "0" } });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Basic /);
    const wrong = await raw({ username: alice.username, password: "ens_wrong" }, "PROPFIND", `${base()}/`);
    expect(wrong.status).toBe(401);
    const swapped = await raw({ username: bob.username, password: alice.password }, "PROPFIND", `${base()}/`);
    expect(swapped.status).toBe(401);
  });

  it("refuses PROPFIND at depth infinity and XML with a document type (XXE, entity expansion)", async () => {
    const inf = await raw(alice, "PROPFIND", `${base()}/`, { headers: { depth: "infinity" } });
    expect(inf.status).toBe(403);
    expect(JSON.parse(inf.text).code).toBe("files_depth_refused");
    const xxe = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d:propfind xmlns:d="DAV:"><d:prop><d:getetag>&x;</d:getetag></d:prop></d:propfind>`;
    const r = await raw(alice, "PROPFIND", `${base()}/`, { headers: { depth: "0" }, body: xxe });
    expect(r.status).toBe(400);
    expect(r.text).not.toContain("root:");
    const laughs = `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><x:p xmlns:x="urn:x">&b;</x:p></d:prop></d:set></d:propertyupdate>`;
    expect((await raw(alice, "PROPPATCH", `${base()}/docs/a.txt`, { body: laughs })).status).toBe(400);
  });
});
