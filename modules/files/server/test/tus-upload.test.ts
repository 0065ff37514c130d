import { createHash, randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Upload, type DetailedError, type UploadOptions } from "tus-js-client";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";
import type { FileNode, FileSpace, FolderListing } from "../../shared/wire.ts";
import { filesDb } from "../tables.ts";
import { cleanUpUploads } from "../tus/finish.ts";
import { UPLOAD_TTL_MS } from "../tus/tus-server.ts";
import { uploadDb } from "../tus/upload-tables.ts";

let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let bobId: string;
let aliceRoot: string;

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const rootOf = async (c: TestClient) => (await c.get<{ spaces: FileSpace[] }>("/api/files/spaces")).body.spaces[0]!;
const names = async (c: TestClient, folder: string) =>
  (await c.get<FolderListing>(`/api/files/nodes/${folder}`)).body.children.map((n) => n.name);
/** What a browser sends: the session cookie and the CSRF token it echoes. */
const sessionHeaders = (c: TestClient, csrf = true): Record<string, string> => ({
  cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
  ...(csrf ? { "x-csrf-token": c.cookies.get("ensemble_csrf")! } : {}),
});
const tusFiles = async () => (await readdir(path.join(server.dataDir, "tus")).catch(() => [] as string[])).length;

interface Done {
  url: string;
  fileId: string | undefined;
}

/** Runs a tus-js-client upload to its end: the file's id, or the client's error. No retries unless asked. */
function send(file: Buffer, opts: UploadOptions): Promise<Done> {
  return new Promise((resolve, reject) => {
    const u = new Upload(file, {
      retryDelays: null,
      ...opts,
      onSuccess: ({ lastResponse }) =>
        resolve({ url: u.url!, fileId: lastResponse.getHeader("ensemble-file-id") ?? undefined }),
      onError: reject,
    });
    u.start();
  });
}

/** Starts an upload and cuts it (the request aborted mid-body) once `cutAt` bytes are sent. */
function sendAndCut(file: Buffer, cutAt: number, opts: UploadOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const u = new Upload(file, {
      retryDelays: null,
      ...opts,
      onProgress: (sent) => {
        if (sent >= cutAt && u.url) void u.abort().then(() => resolve(u.url!));
      },
      onSuccess: () => reject(new Error("finished before the cut")),
      onError: reject,
    });
    u.start();
  });
}

const problem = (e: unknown) => {
  const res = (e as DetailedError).originalResponse;
  return { status: res?.getStatus(), body: res ? (JSON.parse(res.getBody()) as { code: string }) : null };
};

beforeAll(async () => {
  server = await startTestServer();
  ({ client: alice } = await server.signedIn());
  const b = await server.signedIn();
  bob = b.client;
  bobId = b.user.id;
  aliceRoot = (await rootOf(alice)).rootId;
});
afterAll(async () => {
  await server?.close();
});

describe("tus uploads (tus-js-client against the server)", () => {
  it("resumes after a cut mid-upload; nothing is visible until the last byte; the SHA-256 is checked", async () => {
    const folder = await alice.post<FileNode>(`/api/files/nodes/${aliceRoot}/folders`, { name: "Reprise" });
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const opts: UploadOptions = {
      endpoint: `${server.url}/api/files/nodes/${folder.body.id}/uploads`,
      headers: sessionHeaders(alice),
      metadata: { filename: "grand fichier.bin", filetype: "application/octet-stream", sha256: sha256(data) },
      chunkSize: 512 * 1024,
    };
    const url = await sendAndCut(data, 1024 * 1024, opts);
    expect(url).toMatch(/\/api\/files\/uploads\/[0-9a-f-]{36}$/);
    // Half-written: the server holds some bytes, the folder shows nothing.
    const head = await alice.request("HEAD", new URL(url).pathname, undefined, {
      headers: { "tus-resumable": "1.0.0" },
    });
    const offset = Number(head.headers.get("upload-offset"));
    expect(head.status).toBe(200);
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(data.length);
    expect(await names(alice, folder.body.id)).toEqual([]);
    // Someone else cannot see, continue or cancel it.
    expect(
      (await bob.request("HEAD", new URL(url).pathname, undefined, { headers: { "tus-resumable": "1.0.0" } })).status,
    ).toBe(404);
    expect((await bob.delete(new URL(url).pathname, { headers: { "tus-resumable": "1.0.0" } })).status).toBe(404);

    // The client resumes from the server's offset (no endpoint: it cannot start over).
    let firstOffset = -1;
    const done = await send(data, {
      ...opts,
      endpoint: null,
      uploadUrl: url,
      retryDelays: [0, 50, 200],
      onChunkComplete: (size, accepted) => {
        if (firstOffset < 0) firstOffset = accepted - size;
      },
    });
    expect(firstOffset).toBe(offset);
    expect(done.fileId).toBeTruthy();
    const got = await fetch(`${server.url}/api/files/nodes/${done.fileId}/content`, { headers: sessionHeaders(alice) });
    expect(sha256(Buffer.from(await got.arrayBuffer()))).toBe(sha256(data));
    const content = await filesDb(server.kernel)
      .selectFrom("files_nodes")
      .innerJoin("files_contents", "files_contents.id", "files_nodes.content_id")
      .select(["files_contents.sha256", "files_nodes.size"])
      .where("files_nodes.id", "=", done.fileId!)
      .executeTakeFirstOrThrow();
    expect(content.sha256).toBe(sha256(data));
    expect(Number(content.size)).toBe(data.length);
    expect(await names(alice, folder.body.id)).toEqual(["grand fichier.bin"]);
    // The bytes in progress are gone; a client asking again learns the file it became.
    expect(await tusFiles()).toBe(0);
    const after = await alice.request("HEAD", new URL(url).pathname, undefined, {
      headers: { "tus-resumable": "1.0.0" },
    });
    expect(after.headers.get("ensemble-file-id")).toBe(done.fileId);
  });

  it("refuses a SHA-256 that does not match what arrived: no file, the upload discarded", async () => {
    const data = Buffer.from("le contenu réel");
    const e = await send(data, {
      endpoint: `${server.url}/api/files/nodes/${aliceRoot}/uploads`,
      headers: sessionHeaders(alice),
      metadata: { filename: "faux.txt", sha256: "0".repeat(64) },
    }).catch((x: unknown) => x);
    expect(problem(e)).toMatchObject({ status: 400, body: { code: "files_checksum_mismatch" } });
    expect(await names(alice, aliceRoot)).not.toContain("faux.txt");
    expect(await tusFiles()).toBe(0);
    expect(
      await uploadDb(server.kernel).selectFrom("files_tus_uploads").where("node_id", "is", null).selectAll().execute(),
    ).toEqual([]);
  });

  it("checks the quota on Upload-Length, with pending uploads reserved, and again during the upload", async () => {
    const { client: carol, user } = await server.signedIn();
    const root = (await rootOf(carol)).rootId;
    const setQuota = (bytes: number) =>
      filesDb(server.kernel)
        .updateTable("files_spaces")
        .set({ quota_bytes: bytes })
        .where("user_id", "=", user.id)
        .execute();
    await setQuota(100_000);
    const opts = (name: string): UploadOptions => ({
      endpoint: `${server.url}/api/files/nodes/${root}/uploads`,
      headers: sessionHeaders(carol),
      metadata: { filename: name },
      chunkSize: 10_000,
    });
    const tooBig = await send(randomBytes(100_001), opts("gros.bin")).catch((x: unknown) => x);
    expect(problem(tooBig)).toMatchObject({ status: 507, body: { code: "files_quota_exceeded" } });

    // 60 kB pending reserve their room: a second 60 kB upload does not fit beside it.
    const first = randomBytes(60_000);
    const url = await sendAndCut(first, 20_000, opts("un.bin"));
    const second = await send(randomBytes(60_000), opts("deux.bin")).catch((x: unknown) => x);
    expect(problem(second)).toMatchObject({ status: 507, body: { code: "files_quota_exceeded" } });

    // The quota lowered meanwhile: the next PATCH is refused before a byte is taken.
    await setQuota(50_000);
    const resumed = await send(first, { ...opts("un.bin"), endpoint: null, uploadUrl: url }).catch((x: unknown) => x);
    expect(problem(resumed)).toMatchObject({ status: 507, body: { code: "files_quota_exceeded" } });
    await setQuota(100_000);
    const ok = await send(first, { ...opts("un.bin"), endpoint: null, uploadUrl: url });
    expect(ok.fileId).toBeTruthy();
    expect(await names(carol, root)).toEqual(["un.bin"]);
  });

  it("asks the policy before any byte: a folder not mine is 404, a read-only share 403, an edit share takes it", async () => {
    const shared = await alice.post<FileNode>(`/api/files/nodes/${aliceRoot}/folders`, { name: "Partagé" });
    const opts = (folder: string): UploadOptions => ({
      endpoint: `${server.url}/api/files/nodes/${folder}/uploads`,
      headers: sessionHeaders(bob),
      metadata: { filename: "de bob.txt" },
    });
    const hidden = await send(Buffer.from("x"), opts(aliceRoot)).catch((x: unknown) => x);
    expect(problem(hidden)).toMatchObject({ status: 404, body: { code: "not_found" } });
    const share = await alice.post<{ id: string }>(`/api/files/nodes/${shared.body.id}/shares`, {
      recipient: { kind: "user", id: bobId },
      permission: "read",
    });
    expect(share.status).toBe(201);
    const readOnly = await send(Buffer.from("x"), opts(shared.body.id)).catch((x: unknown) => x);
    expect(problem(readOnly)).toMatchObject({ status: 403, body: { code: "forbidden" } });
    await alice.patch(`/api/files/shares/${share.body.id}`, { permission: "edit" });
    const ok = await send(Buffer.from("écrit par bob"), opts(shared.body.id));
    expect(ok.fileId).toBeTruthy();
    expect(await names(alice, shared.body.id)).toEqual(["de bob.txt"]);
    // A name that is not a file name is refused at creation.
    const bad = await send(Buffer.from("x"), { ...opts(shared.body.id), metadata: { filename: "../évasion" } }).catch(
      (x: unknown) => x,
    );
    expect(problem(bad).status).toBe(400);
  });

  it("takes a session's writes only with the CSRF token, and an app password without one", async () => {
    const noCsrf = await send(Buffer.from("x"), {
      endpoint: `${server.url}/api/files/nodes/${aliceRoot}/uploads`,
      headers: sessionHeaders(alice, false),
      metadata: { filename: "csrf.txt" },
    }).catch((x: unknown) => x);
    expect(problem(noCsrf)).toMatchObject({ status: 403, body: { code: "csrf_failed" } });
    const token = await alice.post<{ token: string }>("/api/me/tokens", { name: "tus", scopes: ["read", "write"] });
    const ok = await send(Buffer.from("par jeton"), {
      endpoint: `${server.url}/api/files/nodes/${aliceRoot}/uploads`,
      headers: { authorization: `Bearer ${token.body.token}` },
      metadata: { filename: "jeton.txt" },
    });
    expect(ok.fileId).toBeTruthy();
  });

  it("discards uploads left unfinished past their expiry, bytes and all", async () => {
    const url = await sendAndCut(randomBytes(200_000), 50_000, {
      endpoint: `${server.url}/api/files/nodes/${aliceRoot}/uploads`,
      headers: sessionHeaders(alice),
      metadata: { filename: "abandonné.bin" },
      chunkSize: 100_000,
    });
    expect(await tusFiles()).toBeGreaterThan(0);
    expect(await cleanUpUploads(server.kernel, Date.now() + UPLOAD_TTL_MS + 1000)).toBeGreaterThan(0);
    expect(await tusFiles()).toBe(0);
    const head = await alice.request("HEAD", new URL(url).pathname, undefined, {
      headers: { "tus-resumable": "1.0.0" },
    });
    expect(head.status).toBe(404);
  });
});
