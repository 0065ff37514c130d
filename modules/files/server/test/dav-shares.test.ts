import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import type { FileNode, FileShare, FileSpace, FolderListing } from "../../shared/wire.ts";
import { davUser } from "./dav-fixtures.ts";

type DavUser = Awaited<ReturnType<typeof davUser>>;
let server: TestServer;
let alice: DavUser;
let bruno: DavUser;
let admin: TestClient;

const dav = (
  u: DavUser,
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
) =>
  fetch(`${u.url}${path}`, {
    method,
    body: init.body,
    headers: {
      authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString("base64")}`,
      ...init.headers,
    },
  });

/** The ETag of the root of someone's tree (what a sync client compares first). */
async function rootEtag(u: DavUser): Promise<string> {
  const r = await dav(u, "PROPFIND", "", {
    headers: { depth: "0", "content-type": "application/xml" },
    body: `<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>`,
  });
  return /<d:getetag>([^<]*)<\/d:getetag>/.exec(await r.text())![1]!;
}

/** `href → oc:permissions` of a PROPFIND at depth 1. */
async function permissions(u: DavUser, path: string): Promise<Record<string, string>> {
  const r = await dav(u, "PROPFIND", path, {
    headers: { depth: "1", "content-type": "application/xml" },
    body: `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:prop><oc:permissions/></d:prop></d:propfind>`,
  });
  expect(r.status).toBe(207);
  const out: Record<string, string> = {};
  for (const m of (await r.text()).matchAll(/<d:href>([^<]*)<\/d:href>.*?<oc:permissions>([^<]*)<\/oc:permissions>/g))
    out[decodeURIComponent(m[1]!.replace(/^.*\/remote\.php\/dav\/files\/[^/]+\//, ""))] = m[2]!;
  return out;
}

const rootOf = async (c: TestClient) => (await c.get<{ spaces: FileSpace[] }>("/api/files/spaces")).body.spaces[0]!;
const mkdir = async (c: TestClient, parent: string, name: string) =>
  (await c.post<FileNode>(`/api/files/nodes/${parent}/folders`, { name })).body;
const upload = async (c: TestClient, folder: string, name: string, body: string) =>
  (
    await c.request<FileNode>("PUT", `/api/files/nodes/${folder}/files?name=${encodeURIComponent(name)}`, undefined, {
      raw: Buffer.from(body),
    })
  ).body;
const share = async (c: TestClient, node: string, to: string, permission: string) => {
  const r = await c.post<FileShare>(`/api/files/nodes/${node}/shares`, {
    recipient: { kind: "user", id: to },
    permission,
  });
  expect(r.status, r.text).toBe(201);
  return r.body;
};

beforeAll(async () => {
  server = await startTestServer();
  [alice, bruno] = [await davUser(server), await davUser(server)];
  ({ client: admin } = await server.signedIn({ role: "admin" }));
});
afterAll(async () => {
  await server?.close();
});

describe("shares and group folders in the WebDAV tree", () => {
  it("mounts them at the root with their permissions, and enforces them on every method", async () => {
    const root = (await rootOf(alice.client)).rootId;
    const lecture = await mkdir(alice.client, root, "Projet");
    await upload(alice.client, lecture.id, "a.txt", "lecture seule");
    const edition = await mkdir(alice.client, root, "Atelier");
    const seul = await upload(alice.client, root, "seul.txt", "un fichier");
    const before = await rootEtag(bruno);
    const readShare = await share(alice.client, lecture.id, bruno.id, "read");
    // A new share changes the ETag of the root of Bruno's tree, so his sync client looks again.
    const shared = await rootEtag(bruno);
    expect(shared).not.toBe(before);
    await share(alice.client, edition.id, bruno.id, "edit");
    await share(alice.client, seul.id, bruno.id, "edit");
    const g = await admin.post<{ id: string }>("/api/groups", { name: "Urbanisme" });
    await admin.post(`/api/groups/${g.body.id}/members`, { userId: bruno.id });
    expect((await admin.post("/api/files/group-folders", { groupId: g.body.id, name: "Urbanisme" })).status).toBe(201);
    // Bruno's own « Projet » keeps its name: the share beside it becomes « Projet (2) ».
    await mkdir(bruno.client, (await rootOf(bruno.client)).rootId, "Projet");

    expect(await permissions(bruno, "")).toEqual({
      "": "RGDNVCK",
      "Projet/": "RGDNVCK",
      "Urbanisme/": "MRGDNVCK",
      "Projet (2)/": "SG",
      "Atelier/": "SGCK",
      "seul.txt": "SGW",
    });
    expect(await permissions(bruno, "Projet%20(2)/")).toEqual({ "Projet (2)/": "SG", "Projet (2)/a.txt": "SG" });
    expect(await permissions(bruno, "Atelier/")).toEqual({ "Atelier/": "SGCK" });

    // A change inside a share changes it too.
    const inside = await rootEtag(bruno);
    await upload(alice.client, lecture.id, "b.txt", "ajout");
    expect(await rootEtag(bruno)).not.toBe(inside);
    await alice.client.delete(
      `/api/files/nodes/${(await alice.client.get<FolderListing>(`/api/files/nodes/${lecture.id}`)).body.children.find((c) => c.name === "b.txt")!.id}`,
    );

    // Read-only: reads, and nothing else (403).
    const got = await dav(bruno, "GET", "Projet%20(2)/a.txt");
    expect([got.status, await got.text()]).toEqual([200, "lecture seule"]);
    expect((await dav(bruno, "PUT", "Projet%20(2)/b.txt", { body: "x" })).status).toBe(403);
    expect((await dav(bruno, "PUT", "Projet%20(2)/a.txt", { body: "x" })).status).toBe(403);
    expect((await dav(bruno, "DELETE", "Projet%20(2)/a.txt")).status).toBe(403);
    expect((await dav(bruno, "MKCOL", "Projet%20(2)/d")).status).toBe(403);
    const moved = await dav(bruno, "MOVE", "Projet%20(2)/a.txt", {
      headers: { destination: `${bruno.url}Projet%20(2)/b.txt` },
    });
    expect(moved.status).toBe(403);
    const l = await alice.client.get<FolderListing>(`/api/files/nodes/${lecture.id}`);
    expect(l.body.children.map((c) => c.name)).toEqual(["a.txt"]);

    // Edit: add, change and delete inside; the shared folder itself stays.
    expect((await dav(bruno, "PUT", "Atelier/plan.txt", { body: "v1" })).status).toBe(201);
    expect((await dav(bruno, "PUT", "Atelier/plan.txt", { body: "v2" })).status).toBe(204);
    expect((await dav(bruno, "MKCOL", "Atelier/Sous")).status).toBe(201);
    expect((await dav(bruno, "DELETE", "Atelier/Sous")).status).toBe(204);
    expect((await dav(bruno, "DELETE", "Atelier")).status).toBe(403);
    const atelier = await alice.client.get<FolderListing>(`/api/files/nodes/${edition.id}`);
    expect(atelier.body.children.map((c) => [c.name, c.size])).toEqual([["plan.txt", 2]]);
    // A file shared on its own takes a new content in place.
    expect((await dav(bruno, "PUT", "seul.txt", { body: "changé" })).status).toBe(204);
    expect((await alice.client.get(`/api/files/nodes/${seul.id}/content`)).text).toBe("changé");

    // The group folder is the group's: its members do everything there.
    expect((await dav(bruno, "PUT", "Urbanisme/PLU.txt", { body: "zonage" })).status).toBe(201);
    expect((await dav(bruno, "DELETE", "Urbanisme/PLU.txt")).status).toBe(204);

    // Revoked: gone from the tree.
    expect((await alice.client.delete(`/api/files/shares/${readShare.id}`)).status).toBe(204);
    expect((await dav(bruno, "GET", "Projet%20(2)/a.txt")).status).toBe(404);
    expect(Object.keys(await permissions(bruno, ""))).not.toContain("Projet (2)/");
    expect(await rootEtag(bruno)).not.toBe(shared);
  });
  it("answers oc:size of a folder below the root: its live files, at every depth, the trash left out", async () => {
    const put = (path: string, body: string) => dav(alice, "PUT", path, { body });
    expect((await dav(alice, "MKCOL", "Tailles")).status).toBe(201);
    expect((await dav(alice, "MKCOL", "Tailles/sous")).status).toBe(201);
    await put("Tailles/a.txt", "12345");
    await put("Tailles/sous/b.txt", "1234567");
    await put("Tailles/jeté.txt", "xxxxxxxxxx");
    expect((await dav(alice, "DELETE", "Tailles/jet%C3%A9.txt")).status).toBe(204);
    const sizes = async (path: string, depth: string) => {
      const r = await dav(alice, "PROPFIND", path, {
        headers: { depth, "content-type": "application/xml" },
        body: `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:prop><oc:size/></d:prop></d:propfind>`,
      });
      const out: Record<string, string> = {};
      for (const m of (await r.text()).matchAll(/<d:href>([^<]*)<\/d:href>.*?<oc:size>([^<]*)<\/oc:size>/g))
        out[decodeURIComponent(m[1]!.replace(/^.*\/remote\.php\/dav\/files\/[^/]+\//, ""))] = m[2]!;
      return out;
    };
    expect(await sizes("Tailles", "0")).toEqual({ "Tailles/": "12" });
    expect(await sizes("Tailles/", "1")).toEqual({ "Tailles/": "12", "Tailles/a.txt": "5", "Tailles/sous/": "7" });
  });
});
