import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { filesSettings } from "../spaces.ts";
import { chunkDb } from "../nextcloud/chunk-tables.ts";
import { davRequest, davUser } from "./dav-fixtures.ts";

let server: TestServer;
type Who = Awaited<ReturnType<typeof davUser>>;
let alice: Who;
let bob: Who;

beforeAll(async () => {
  server = await startTestServer();
  alice = await davUser(server);
  bob = await davUser(server);
});
afterAll(async () => {
  await server?.close();
});

const uploads = (who: Who) => `/remote.php/dav/uploads/${who.username}`;
const files = (who: Who) => `/remote.php/dav/files/${who.username}`;
const pendingChunks = async () =>
  (await chunkDb(server.kernel).selectFrom("files_upload_chunks").select("name").execute()).length;

/** Nextcloud's chunked upload v2 over raw HTTP: ordering, quota, checksums and path attacks. */
describe("chunked upload (/remote.php/dav/uploads/{user}/)", () => {
  it("assembles v2 chunks in number order into the file, then forgets the transfer", async () => {
    const t = `${uploads(alice)}/web-1`;
    const dest = { destination: `${server.url}${files(alice)}/assemblé.txt` };
    expect((await davRequest(server, alice, "MKCOL", t, { headers: dest })).status).toBe(201);
    // Sent out of order; 10 sorts after 2 as a number, not as text.
    for (const [n, body] of [
      ["10", "C"],
      ["1", "A"],
      ["2", "B"],
    ] as const)
      expect((await davRequest(server, alice, "PUT", `${t}/${n}`, { body, headers: dest })).status).toBe(201);
    const listed = await davRequest(server, alice, "PROPFIND", `${t}/`, { headers: { depth: "1" } });
    expect(listed.status).toBe(207);
    expect(listed.text).toContain(`${t}/10</d:href>`);
    const sha1 = createHash("sha1").update("ABC").digest("hex");
    const moved = await davRequest(server, alice, "MOVE", `${t}/.file`, {
      headers: { ...dest, "oc-total-length": "3", "oc-checksum": `SHA1:${sha1}`, "x-oc-mtime": "1700000000" },
    });
    expect(moved.status).toBe(201);
    expect(moved.headers["oc-fileid"]).toBeTruthy();
    expect(moved.headers["x-oc-mtime"]).toBe("accepted");
    expect((await davRequest(server, alice, "GET", `${files(alice)}/assembl%C3%A9.txt`)).text).toBe("ABC");
    expect((await davRequest(server, alice, "PROPFIND", `${t}/`, { headers: { depth: "0" } })).status).toBe(404);
    expect(await pendingChunks()).toBe(0);
  });

  it("refuses a checksum that does not match, leaving no file and the chunks for a retry", async () => {
    const t = `${uploads(alice)}/bad-sum`;
    const dest = { destination: `${server.url}${files(alice)}/faux.txt` };
    await davRequest(server, alice, "MKCOL", t);
    await davRequest(server, alice, "PUT", `${t}/1`, { body: "contenu" });
    const r = await davRequest(server, alice, "MOVE", `${t}/.file`, {
      headers: { ...dest, "oc-checksum": `SHA1:${"0".repeat(40)}` },
    });
    expect(r.status).toBe(400);
    expect((await davRequest(server, alice, "GET", `${files(alice)}/faux.txt`)).status).toBe(404);
    expect((await davRequest(server, alice, "DELETE", t)).status).toBe(204);
    expect(await pendingChunks()).toBe(0);
  });

  it("counts pending chunks against the quota: announced, streamed and accumulated", async () => {
    await filesSettings(server.kernel).patch({ defaultQuotaBytes: 1000 });
    try {
      const t = `${uploads(bob)}/quota`;
      // Announced at creation: refused before anything is stored.
      const early = await davRequest(server, bob, "MKCOL", t, { headers: { "oc-total-length": "5000" } });
      expect(early.status).toBe(507);
      expect(await pendingChunks()).toBe(0);
      expect((await davRequest(server, bob, "MKCOL", t)).status).toBe(201);
      expect((await davRequest(server, bob, "PUT", `${t}/1`, { body: Buffer.alloc(600, 1) })).status).toBe(201);
      // The second chunk would fit alone, not beside the first: chunks never assembled cannot exceed the quota.
      const over = await davRequest(server, bob, "PUT", `${t}/2`, { body: Buffer.alloc(600, 2) });
      expect(over.status).toBe(507);
      expect(JSON.parse(over.text).code).toBe("files_quota_exceeded");
      expect(await pendingChunks()).toBe(1);
      // Another transfer shares the same room.
      await davRequest(server, bob, "MKCOL", `${uploads(bob)}/other`);
      expect(
        (await davRequest(server, bob, "PUT", `${uploads(bob)}/other/1`, { body: Buffer.alloc(600) })).status,
      ).toBe(507);
      await davRequest(server, bob, "DELETE", t);
      await davRequest(server, bob, "DELETE", `${uploads(bob)}/other`);
      expect(await pendingChunks()).toBe(0);
    } finally {
      await filesSettings(server.kernel).patch({ defaultQuotaBytes: 10 * 1024 ** 3 });
    }
  });

  it("refuses path attacks and other people's uploads with no effect", async () => {
    const t = `${uploads(alice)}/attack`;
    expect((await davRequest(server, alice, "MKCOL", t)).status).toBe(201);
    await davRequest(server, alice, "PUT", `${t}/1`, { body: "x" });
    for (const bad of ["..", "%2e%2e", "%2E%2e%2f..", "a%00b", "a%2fb", ".file", "%c0%ae%c0%ae"]) {
      const r = await davRequest(server, alice, "PUT", `${t}/${bad}`, { body: "x" });
      expect([400, 403], `${bad}: ${r.status}`).toContain(r.status);
      const m = await davRequest(server, alice, "MKCOL", `${uploads(alice)}/${bad}`);
      expect([400, 403, 404], `${bad}: ${m.status}`).toContain(m.status);
    }
    // Assembling outside one's own files: another user's tree, dot segments, the uploads tree itself.
    for (const destination of [
      `${server.url}${files(bob)}/vol.txt`,
      `${server.url}${files(alice)}/../${bob.username}/vol.txt`,
      `${server.url}${files(alice)}/%2e%2e/vol.txt`,
      `${server.url}${uploads(alice)}/attack/vol.txt`,
      `${server.url}/remote.php/webdav/vol.txt`,
    ]) {
      const r = await davRequest(server, alice, "MOVE", `${t}/.file`, { headers: { destination } });
      expect([400, 403], `${destination}: ${r.status}`).toContain(r.status);
    }
    // Only .file moves; another user's uploads are unseen, even with the right transfer name.
    const notFile = await davRequest(server, alice, "MOVE", `${t}/1`, {
      headers: { destination: `${server.url}${files(alice)}/x.txt` },
    });
    expect(notFile.status).toBe(403);
    expect((await davRequest(server, bob, "PUT", `${uploads(alice)}/attack/2`, { body: "x" })).status).toBe(404);
    expect((await davRequest(server, bob, "PUT", `${uploads(bob)}/attack/2`, { body: "x" })).status).toBe(404);
    expect((await davRequest(server, bob, "DELETE", `${uploads(alice)}/attack`)).status).toBe(404);
    expect(await pendingChunks()).toBe(1);
    const bobsFiles = await davRequest(server, bob, "PROPFIND", `${files(bob)}/`, { headers: { depth: "1" } });
    expect(bobsFiles.text).not.toContain("vol.txt");
    await davRequest(server, alice, "DELETE", t);
  });
});
