import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { davUser, run, tool } from "./dav-fixtures.ts";

const RCLONE = "/usr/bin/rclone";
let server: TestServer;
let work: string;

beforeAll(async () => {
  server = await startTestServer();
  work = await mkdtemp(path.join(tmpdir(), "ensemble-rclone-"));
});
afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Debian's rclone as a Nextcloud WebDAV client: sync up, change, sync back, checksums compared. */
describe.skipIf(!tool(RCLONE))("rclone --webdav-vendor nextcloud", () => {
  it("syncs a tree up and back with matching checksums", async () => {
    const u = await davUser(server);
    await writeFile(path.join(work, "none.conf"), "");
    const obscured = (await run(RCLONE, ["obscure", u.password])).out.trim();
    // The remote is given on the command line (no config file): the user's tree over WebDAV.
    const env = {
      RCLONE_CONFIG: path.join(work, "none.conf"),
      RCLONE_CONFIG_ENS_TYPE: "webdav",
      RCLONE_CONFIG_ENS_URL: u.url,
      RCLONE_CONFIG_ENS_VENDOR: "nextcloud",
      RCLONE_CONFIG_ENS_USER: u.username,
      RCLONE_CONFIG_ENS_PASS: obscured,
      RCLONE_CONFIG_ENS_NEXTCLOUD_CHUNK_SIZE: "0",
    };
    const rclone = async (...args: string[]) => {
      const r = await run(RCLONE, [...args, "--retries", "1", "--low-level-retries", "1"], env);
      expect(r.code, `rclone ${args.join(" ")}\n${r.out}`).toBe(0);
      return r.out;
    };
    const up = path.join(work, "up");
    const back = path.join(work, "back");
    await mkdir(path.join(up, "Rapports", "2026"), { recursive: true });
    await writeFile(path.join(up, "lisez-moi.txt"), "Bonjour\n");
    await writeFile(path.join(up, "Rapports", "budget été.csv"), "poste;montant\nA;12\n");
    await writeFile(path.join(up, "Rapports", "2026", "vide.bin"), Buffer.alloc(0));
    await writeFile(path.join(up, "Rapports", "2026", "gros.bin"), Buffer.alloc(3 * 1024 * 1024, 7));

    await rclone("sync", up, "ens:projet");
    expect(await rclone("check", up, "ens:projet")).not.toMatch(/no common hash/i);
    // rclone compares by hash (SHA-1 and MD5 from oc:checksums) when both sides have one.
    const hashes = await rclone("hashsum", "sha1", "ens:projet");
    expect(hashes).toMatch(/[0-9a-f]{40} {2}lisez-moi\.txt/);

    // Change the tree: an edit, a deletion, an addition; sync again, then back to an empty folder.
    await writeFile(path.join(up, "lisez-moi.txt"), "Bonjour, version 2\n");
    await unlink(path.join(up, "Rapports", "budget été.csv"));
    await writeFile(path.join(up, "Rapports", "nouveau.md"), "# Nouveau\n");
    await rclone("sync", up, "ens:projet");
    await rclone("check", up, "ens:projet");
    await rclone("sync", "ens:projet", back);
    await rclone("check", up, back);
    expect(await readFile(path.join(back, "lisez-moi.txt"), "utf8")).toBe("Bonjour, version 2\n");

    // The server's listing holds exactly the changed tree (the deleted file is in the trash, not listed).
    const listing = await rclone("lsf", "-R", "ens:projet");
    expect(listing.split("\n").filter(Boolean).sort()).toEqual(
      [
        "Rapports/",
        "Rapports/2026/",
        "Rapports/2026/gros.bin",
        "Rapports/2026/vide.bin",
        "Rapports/nouveau.md",
        "lisez-moi.txt",
      ].sort(),
    );
  }, 120_000);
});
