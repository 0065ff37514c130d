import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TestClient, type TestServer } from "@ensemble/testkit";
import type { FileSpace, FolderListing } from "../../shared/wire.ts";
import { davUser, run, tool } from "./dav-fixtures.ts";

const NEXTCLOUDCMD = "/usr/bin/nextcloudcmd";
let server: TestServer;
let work: string;

beforeAll(async () => {
  server = await startTestServer();
  work = await mkdtemp(path.join(tmpdir(), "ensemble-nextcloudcmd-"));
});
afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

/** Every file under a folder, relative path → content (the client's journal and hidden files left out). */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || e.name.startsWith(".")) continue;
    const full = path.join(e.parentPath, e.name);
    out[path.relative(dir, full)] = sha256(await readFile(full));
  }
  return out;
}

/**
 * Debian's nextcloudcmd, the official Nextcloud desktop client's sync engine: it finds the server
 * (status.php, OCS capabilities and user), then syncs a folder both ways over WebDAV, a large file
 * through chunked upload.
 */
describe.skipIf(!tool(NEXTCLOUDCMD))("nextcloudcmd", () => {
  it("syncs a folder both ways: added, edited and deleted on each side, a large file in chunks", async () => {
    const u = await davUser(server);
    // The web API as the same person (the app password as a bearer token).
    const api = new TestClient(server.url);
    api.headers.authorization = `Bearer ${u.password}`;
    const spaces = await api.get<{ spaces: FileSpace[] }>("/api/files/spaces");
    const root = spaces.body.spaces.find((s) => s.kind === "user")!.rootId;
    const listing = async () => (await api.get<FolderListing>(`/api/files/nodes/${root}`)).body.children;
    const serverTree = async () => {
      const out: Record<string, string> = {};
      const walk = async (id: string, prefix: string) => {
        for (const c of (await api.get<FolderListing>(`/api/files/nodes/${id}`)).body.children)
          if (c.kind === "folder") await walk(c.id, `${prefix}${c.name}/`);
          else
            out[`${prefix}${c.name}`] = sha256(
              Buffer.from(
                await (
                  await fetch(`${server.url}/api/files/nodes/${c.id}/content`, { headers: api.headers })
                ).arrayBuffer(),
              ),
            );
      };
      await walk(root, "");
      return out;
    };

    const local = path.join(work, "local");
    await mkdir(path.join(local, "Rapports"), { recursive: true });
    await writeFile(path.join(local, "lisez-moi.txt"), "Bonjour\n");
    await writeFile(path.join(local, "Rapports", "budget été.csv"), "poste;montant\nA;12\n");
    await writeFile(path.join(local, "à supprimer.txt"), "bientôt parti\n");
    // Above the chunk size set below: goes up through /remote.php/dav/uploads/ in four chunks.
    const big = Buffer.alloc(3 * 1024 * 1024 + 123);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
    await writeFile(path.join(local, "Rapports", "gros.bin"), big);

    const sync = async () => {
      const r = await run(
        NEXTCLOUDCMD,
        ["--non-interactive", "--logdebug", "-u", u.username, "-p", u.password, local, server.url],
        // Its own HOME (no config of the machine's user); 1 MiB chunks so a 3 MiB file is chunked.
        {
          HOME: work,
          OWNCLOUD_CHUNK_SIZE: "1048576",
          OWNCLOUD_MIN_CHUNK_SIZE: "1048576",
          OWNCLOUD_MAX_CHUNK_SIZE: "1048576",
        },
        90_000,
      );
      const errors = r.out
        .split("\n")
        .filter((l) => /\[ (warning|critical|fatal) /.test(l) && /nextcloud\.sync/.test(l));
      expect(r.code, errors.join("\n") || r.out.slice(-4000)).toBe(0);
      return r.out;
    };

    // 1. Up: the server holds the local tree, the large file assembled from its chunks.
    const first = await sync();
    expect(first).toMatch(/"MKCOL" "http:\/\/[^"]+\/remote\.php\/dav\/uploads\/[^"]+"/);
    expect(first).toMatch(/"MOVE" "http:\/\/[^"]+\/remote\.php\/dav\/uploads\/[^"]+\/\.file"/);
    expect(await serverTree()).toEqual(await tree(local));
    expect((await serverTree())["Rapports/gros.bin"]).toBe(sha256(big));

    // 2. Down: a file added, one edited and one deleted through the web API reach the local folder.
    const put = (name: string, body: string) =>
      api.request("PUT", `/api/files/nodes/${root}/files?name=${encodeURIComponent(name)}`, undefined, {
        raw: Buffer.from(body),
        headers: { "content-type": "text/plain" },
      });
    expect((await put("depuis le web.txt", "écrit dans le navigateur\n")).status).toBe(200);
    expect((await put("lisez-moi.txt", "Bonjour, version du serveur\n")).status).toBe(200);
    const gone = (await listing()).find((c) => c.name === "à supprimer.txt")!;
    expect((await api.request("DELETE", `/api/files/nodes/${gone.id}`)).status).toBe(204);
    await sync();
    expect(await readFile(path.join(local, "depuis le web.txt"), "utf8")).toBe("écrit dans le navigateur\n");
    expect(await readFile(path.join(local, "lisez-moi.txt"), "utf8")).toBe("Bonjour, version du serveur\n");
    await expect(readFile(path.join(local, "à supprimer.txt"))).rejects.toThrow(/ENOENT/);

    // 3. Up again: a file added, one edited and one deleted locally reach the server.
    await writeFile(path.join(local, "Rapports", "nouveau.md"), "# Nouveau\n");
    await writeFile(path.join(local, "Rapports", "budget été.csv"), "poste;montant\nA;12\nB;30\n");
    await unlink(path.join(local, "depuis le web.txt"));
    await sync();
    const after = await serverTree();
    expect(after).toEqual(await tree(local));
    expect(Object.keys(after).sort()).toEqual(
      ["Rapports/budget été.csv", "Rapports/gros.bin", "Rapports/nouveau.md", "lisez-moi.txt"].sort(),
    );
  }, 240_000);
});
