import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import type { FileNode, FileSpace, FolderListing } from "../../shared/wire.ts";
import { filesSettings } from "../spaces.ts";
import { filesDb } from "../tables.ts";

let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let admin: TestClient;
let aliceRoot: string;

const upload = (c: TestClient, folder: string, name: string, body: string | Buffer) =>
  c.request<FileNode & { code?: string }>(
    "PUT",
    `/api/files/nodes/${folder}/files?name=${encodeURIComponent(name)}`,
    undefined,
    {
      raw: typeof body === "string" ? Buffer.from(body) : body,
      headers: { "content-type": "text/plain" },
    },
  );
const list = async (c: TestClient, id: string) => (await c.get<FolderListing>(`/api/files/nodes/${id}`)).body;
const rootOf = async (c: TestClient) => (await c.get<{ spaces: FileSpace[] }>("/api/files/spaces")).body.spaces[0]!;

/** Blob files on disk: an upload that is refused or cut must leave none behind. */
async function blobCount(): Promise<number> {
  const dir = path.join(server.dataDir, "files", "partageons");
  let n = 0;
  for (const d of await readdir(dir).catch(() => [] as string[])) n += (await readdir(path.join(dir, d))).length;
  return n;
}

beforeAll(async () => {
  server = await startTestServer();
  ({ client: alice } = await server.signedIn());
  ({ client: bob } = await server.signedIn());
  ({ client: admin } = await server.signedIn({ role: "admin" }));
  aliceRoot = (await rootOf(alice)).rootId;
});
afterAll(async () => {
  await server?.close();
});

describe("files over the web API", () => {
  it("uploads, lists with breadcrumbs, downloads, and keeps the previous content as a version", async () => {
    const folder = await alice.post<FileNode>(`/api/files/nodes/${aliceRoot}/folders`, { name: "Rapports" });
    expect(folder.status).toBe(201);
    const first = await upload(alice, folder.body.id, "note.txt", "v1");
    expect(first.status).toBe(200);
    expect(first.body.actions).toEqual(["read", "write", "delete", "share"]);
    const second = await upload(alice, folder.body.id, "note.txt", "version 2");
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.etag).not.toBe(first.body.etag);
    const l = await list(alice, folder.body.id);
    expect(l.path.map((p) => p.name)).toEqual(["Mes fichiers", "Rapports"]);
    expect(l.children.map((c) => [c.name, c.size])).toEqual([["note.txt", 9]]);
    const got = await alice.get(`/api/files/nodes/${first.body.id}/content`);
    expect(got.text).toBe("version 2");
    expect(got.headers.get("content-disposition")).toContain("attachment");
    const versions = await filesDb(server.kernel)
      .selectFrom("files_versions")
      .select("size")
      .where("node_id", "=", first.body.id)
      .execute();
    expect(versions.map((v) => Number(v.size))).toEqual([2]);
    expect((await rootOf(alice)).usedBytes).toBe(9);
  });

  it("refuses bad names with a problem and creates nothing", async () => {
    for (const name of ["..", "a/b", "a\\b", "bad\u0000", "x".repeat(256), " lead", "%2e%2e"]) {
      const r = await alice.post(`/api/files/nodes/${aliceRoot}/folders`, { name });
      expect(r.status, name).toBe(400);
      // The kernel's JSON reader already refuses control characters anywhere in a body.
      expect(r.body.code, `${name}: ${r.text}`).toBe(name.includes("\u0000") ? "validation" : "files_name_invalid");
    }
    const u = await upload(alice, aliceRoot, "../escape.txt", "x");
    expect(u.body.code).toBe("files_name_invalid");
    expect((await list(alice, aliceRoot)).children.map((c) => c.name)).toEqual(["Rapports"]);
  });

  it("moves to the trash, restores, and purges for good (the blob goes with it)", async () => {
    const f = await upload(alice, aliceRoot, "brouillon.txt", "draft");
    const blobs = await blobCount();
    expect((await alice.delete(`/api/files/nodes/${f.body.id}`)).status).toBe(204);
    expect((await list(alice, aliceRoot)).children.map((c) => c.name)).not.toContain("brouillon.txt");
    const trash = await alice.get<{ items: FileNode[] }>("/api/files/trash");
    expect(trash.body.items.map((i) => [i.name, i.actions])).toEqual([["brouillon.txt", ["read", "restore", "purge"]]]);
    const back = await alice.post<FileNode>(`/api/files/nodes/${f.body.id}/restore`);
    expect(back.status).toBe(200);
    expect((await list(alice, aliceRoot)).children.map((c) => c.name)).toContain("brouillon.txt");
    await alice.delete(`/api/files/nodes/${f.body.id}`);
    const used = (await rootOf(alice)).usedBytes;
    expect((await alice.delete(`/api/files/trash/${f.body.id}`)).status).toBe(204);
    expect((await rootOf(alice)).usedBytes).toBe(used - 5);
    expect(await blobCount()).toBe(blobs - 1);
  });

  it("refuses an upload past the quota before and during the transfer, leaving nothing", async () => {
    await filesSettings(server.kernel).patch({ defaultQuotaBytes: 1000 });
    try {
      const blobs = await blobCount();
      const r = await upload(alice, aliceRoot, "gros.bin", Buffer.alloc(2000, 1));
      expect(r.status).toBe(507);
      expect(r.body.code).toBe("files_quota_exceeded");
      // Without a declared length the stream is cut when it passes the quota.
      const chunked = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < 4; i++) c.enqueue(new Uint8Array(500));
          c.close();
        },
      });
      const csrf = alice.cookies.get("ensemble_csrf")!;
      const res = await fetch(`${server.url}/api/files/nodes/${aliceRoot}/files?name=stream.bin`, {
        method: "PUT",
        body: chunked,
        duplex: "half",
        headers: {
          cookie: [...alice.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
          "x-csrf-token": csrf,
          "content-type": "application/octet-stream",
        },
      } as RequestInit);
      expect(res.status).toBe(507);
      expect(await blobCount()).toBe(blobs);
      expect((await list(alice, aliceRoot)).children.map((c) => c.name)).not.toContain("stream.bin");
    } finally {
      await filesSettings(server.kernel).patch({ defaultQuotaBytes: 10 * 1024 ** 3 });
    }
  });

  it("hides a person's files from everyone else, administrators included (404)", async () => {
    const f = await upload(alice, aliceRoot, "privé.txt", "secret");
    expect(f.status, f.text).toBe(200);
    for (const c of [bob, admin]) {
      expect((await c.get(`/api/files/nodes/${f.body.id}`)).status).toBe(404);
      expect((await c.get(`/api/files/nodes/${f.body.id}/content`)).status).toBe(404);
      expect((await c.delete(`/api/files/nodes/${f.body.id}`)).status).toBe(404);
      expect((await upload(c, aliceRoot, "intrus.txt", "x")).status).toBe(404);
      expect((await c.post(`/api/files/nodes/${aliceRoot}/folders`, { name: "intrus" })).status).toBe(404);
    }
    expect((await list(alice, aliceRoot)).children.map((c) => c.name)).not.toContain("intrus.txt");
  });

  it("shares a group folder with the group's members only", async () => {
    const g = await admin.post<{ id: string }>("/api/groups", { name: "Urbanisme" });
    const me = await alice.get<{ user: { id: string } }>("/api/me");
    const added = await admin.post(`/api/groups/${g.body.id}/members`, { userId: me.body.user.id });
    expect(added.status, added.text).toBeLessThan(300);
    expect((await alice.post("/api/files/group-folders", { groupId: g.body.id, name: "Urbanisme" })).status).toBe(403);
    const created = await admin.post<FileSpace>("/api/files/group-folders", { groupId: g.body.id, name: "Urbanisme" });
    expect(created.status).toBe(201);
    const spaces = (await alice.get<{ spaces: FileSpace[] }>("/api/files/spaces")).body.spaces;
    expect(spaces.map((s) => [s.kind, s.name])).toEqual([
      ["user", "Mes fichiers"],
      ["group", "Urbanisme"],
    ]);
    const up = await upload(alice, created.body.rootId, "plan.txt", "PLU");
    expect(up.status).toBe(200);
    expect((await bob.get(`/api/files/nodes/${created.body.rootId}`)).status).toBe(404);
    expect((await bob.get(`/api/files/nodes/${up.body.id}/content`)).status).toBe(404);
    // Another administrator, not a member, does not see the contents: they stay the group's.
    const { client: otherAdmin } = await server.signedIn({ role: "admin" });
    expect((await otherAdmin.get(`/api/files/nodes/${up.body.id}`)).status).toBe(404);
    expect((await admin.get(`/api/files/nodes/${up.body.id}`)).status).toBe(200);
  });
});
