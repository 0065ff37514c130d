import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import type { FileNode, FileSpace } from "../../shared/wire.ts";
import { run, tool } from "./dav-fixtures.ts";

const UNZIP = "/usr/bin/unzip";
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let bobId: string;
let dir: string;
const ids: Record<string, string> = {};

const upload = async (folder: string, name: string, body: string) =>
  (
    await alice.request<FileNode>(
      "PUT",
      `/api/files/nodes/${folder}/files?name=${encodeURIComponent(name)}`,
      undefined,
      {
        raw: Buffer.from(body),
        headers: { "content-type": "text/plain" },
      },
    )
  ).body;
const folder = async (parent: string, name: string) =>
  (await alice.post<FileNode>(`/api/files/nodes/${parent}/folders`, { name })).body;

/** Downloads an archive to disk and lists it with Debian's unzip: names, and each file's text. */
async function fetchZip(c: TestClient, list: string[]) {
  const res = await fetch(`${server.url}/api/files/zip?ids=${list.join(",")}`, {
    headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
  });
  if (res.status !== 200) return { status: res.status, disposition: null, names: [], text: async () => "" };
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.zip`);
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  const listed = await run(UNZIP, ["-Z1", file]);
  expect(listed.code).toBe(0);
  const test = await run(UNZIP, ["-tq", file]);
  expect(test.code).toBe(0);
  return {
    status: res.status,
    disposition: res.headers.get("content-disposition"),
    names: listed.out.trim().split("\n").sort(),
    text: async (name: string) => (await run(UNZIP, ["-p", file, name])).out,
  };
}

beforeAll(async () => {
  server = await startTestServer();
  ({ client: alice } = await server.signedIn());
  const b = await server.signedIn();
  bob = b.client;
  bobId = b.user.id;
  dir = await mkdtemp(path.join(tmpdir(), "files-zip-"));
  const root = (await alice.get<{ spaces: FileSpace[] }>("/api/files/spaces")).body.spaces[0]!.rootId;
  const d = await folder(root, "Dossier été");
  ids.dossier = d.id;
  ids.a = (await upload(d.id, "a.txt", "contenu de a")).id;
  const sous = await folder(d.id, "sous");
  ids.sous = sous.id;
  await upload(sous.id, "b é.txt", "contenu de b");
  await folder(d.id, "vide");
  const gone = await upload(d.id, "jeté.txt", "à la corbeille");
  await alice.delete(`/api/files/nodes/${gone.id}`);
  ids.other = (await upload(root, "a.txt", "un autre a")).id;
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!tool(UNZIP))("ZIP downloads (unzipped by Debian's unzip)", () => {
  it("streams a folder with its live contents, empty folders kept, the trash left out", async () => {
    const z = await fetchZip(alice, [ids.dossier!]);
    expect(z.status).toBe(200);
    expect(z.disposition).toBe(`attachment; filename*=UTF-8''${encodeURIComponent("Dossier été.zip")}`);
    expect(z.names).toEqual([
      "Dossier été/",
      "Dossier été/a.txt",
      "Dossier été/sous/",
      "Dossier été/sous/b é.txt",
      "Dossier été/vide/",
    ]);
    expect(await z.text("Dossier été/sous/b é.txt")).toBe("contenu de b");
  });

  it("puts a selection side by side, a repeated name made unique", async () => {
    const z = await fetchZip(alice, [ids.a!, ids.sous!, ids.other!]);
    expect(z.names).toEqual(["a (2).txt", "a.txt", "sous/", "sous/b é.txt"]);
    expect(await z.text("a.txt")).toBe("contenu de a");
    expect(await z.text("a (2).txt")).toBe("un autre a");
  });

  it("gives only what the person may read: 404 for the rest, a share's subtree to its recipient", async () => {
    expect((await fetchZip(bob, [ids.dossier!])).status).toBe(404);
    await alice.post(`/api/files/nodes/${ids.sous}/shares`, {
      recipient: { kind: "user", id: bobId },
      permission: "read",
    });
    const z = await fetchZip(bob, [ids.sous!]);
    expect(z.names).toEqual(["sous/", "sous/b é.txt"]);
    // One unreadable node in a selection refuses the whole archive.
    expect((await fetchZip(bob, [ids.sous!, ids.a!])).status).toBe(404);
    const bad = await bob.get(`/api/files/zip?ids=${ids.sous},pas-un-id`);
    expect(bad.status).toBe(400);
  });
});
