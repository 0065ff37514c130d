import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matrixUser, startTestServer, type MatrixUser, type TestClient, type TestServer } from "@ensemble/testkit";
import type { CreatedLink, FileLink, FileNode, FileSpace, FolderListing, PublicLink } from "../../shared/wire.ts";

let server: TestServer;
let alice: MatrixUser;
let bruno: MatrixUser;
let anon: TestClient;
let aliceRoot: string;

const upload = async (c: TestClient, folder: string, name: string, body: string) =>
  (
    await c.request<FileNode>("PUT", `/api/files/nodes/${folder}/files?name=${encodeURIComponent(name)}`, undefined, {
      raw: Buffer.from(body),
    })
  ).body;
const mkdir = async (c: TestClient, parent: string, name: string) =>
  (await c.post<FileNode>(`/api/files/nodes/${parent}/folders`, { name })).body;
const link = async (node: string, body: object = {}) => {
  const r = await alice.client.post<CreatedLink>(`/api/files/nodes/${node}/links`, body);
  expect(r.status, r.text).toBe(201);
  return r.body;
};
const pub = (token: string, rest = "", access?: string) =>
  anon.get<PublicLink & { code?: string }>(
    `/api/files/public/${token}${rest}${access ? `${rest.includes("?") ? "&" : "?"}access=${encodeURIComponent(access)}` : ""}`,
  );

beforeAll(async () => {
  server = await startTestServer();
  [alice, bruno] = await Promise.all([matrixUser(server), matrixUser(server)]);
  anon = server.client();
  aliceRoot = (await alice.client.get<{ spaces: FileSpace[] }>("/api/files/spaces")).body.spaces[0]!.rootId;
});
afterAll(async () => {
  await server?.close();
});

describe("public links", () => {
  it("opens a folder read-only to whoever holds the token, counts downloads, and stops when revoked", async () => {
    const d = await mkdir(alice.client, aliceRoot, "Presse");
    const f = await upload(alice.client, d.id, "communiqué.txt", "Ouverture du tram");
    const l = await link(d.id);
    expect(l.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(l.path).toBe(`/s/${l.token}`);
    const page = await pub(l.token);
    expect(page.status, page.text).toBe(200);
    expect(page.body.node.name).toBe("Presse");
    expect(page.body.children.map((c) => c.name)).toEqual(["communiqué.txt"]);
    const got = await anon.get(`/api/files/public/${l.token}/content?node=${f.id}`);
    expect([got.status, got.text]).toEqual([200, "Ouverture du tram"]);
    // Read-only: no drop; nothing outside the folder; no other token.
    const drop = await anon.request("PUT", `/api/files/public/${l.token}/files?name=x.txt`, undefined, {
      raw: Buffer.from("x"),
    });
    expect(drop.status).toBe(403);
    const outside = await upload(alice.client, aliceRoot, "privé.txt", "secret");
    expect((await anon.get(`/api/files/public/${l.token}/content?node=${outside.id}`)).status).toBe(404);
    expect((await pub("A".repeat(43))).status).toBe(404);
    const listed = await alice.client.get<{ links: FileLink[] }>(`/api/files/nodes/${d.id}/links`);
    expect(listed.body.links.map((x) => [x.id, x.downloads, x.actions])).toEqual([[l.id, 1, ["read", "revoke"]]]);
    expect(JSON.stringify(listed.body)).not.toContain(l.token);
    // Someone who may not share the folder neither lists nor revokes its links.
    expect((await bruno.client.get(`/api/files/nodes/${d.id}/links`)).status).toBe(404);
    expect((await bruno.client.delete(`/api/files/links/${l.id}`)).status).toBe(404);
    expect((await alice.client.delete(`/api/files/links/${l.id}`)).status).toBe(204);
    expect((await pub(l.token)).status).toBe(404);
    expect((await anon.get(`/api/files/public/${l.token}/content?node=${f.id}`)).status).toBe(404);
  });

  it("asks a password (hashed, limited tries) and refuses an expired link with its own problem", async () => {
    const f = await upload(alice.client, aliceRoot, "plan.pdf", "%PDF");
    const l = await link(f.id, { password: "tramway-2027" });
    expect(l.hasPassword).toBe(true);
    const locked = await pub(l.token);
    expect([locked.status, locked.body.code]).toEqual([401, "files_link_password_required"]);
    expect((await anon.get(`/api/files/public/${l.token}/content`)).status).toBe(401);
    const wrong = await anon.post<{ code: string }>(`/api/files/public/${l.token}/unlock`, { password: "non" });
    expect([wrong.status, wrong.body.code]).toEqual([403, "files_link_password_wrong"]);
    const ok = await anon.post<{ access: string }>(`/api/files/public/${l.token}/unlock`, { password: "tramway-2027" });
    expect(ok.status).toBe(200);
    expect((await pub(l.token, "", ok.body.access)).body.node.name).toBe("plan.pdf");
    expect((await anon.get(`/api/files/public/${l.token}/content?access=${ok.body.access}`)).text).toBe("%PDF");
    // A proof is for its link only, and cannot be forged.
    const other = await link(f.id, { password: "autre-mot-de-passe" });
    expect((await pub(other.token, "", ok.body.access)).status).toBe(401);
    expect((await pub(l.token, "", `${Date.now() + 1000}.${"A".repeat(43)}`)).status).toBe(401);
    // Brute force: ten tries a minute per address, then 429.
    let last = 0;
    for (let i = 0; i < 10 && last !== 429; i++)
      last = (await anon.post(`/api/files/public/${l.token}/unlock`, { password: `essai-${i}` })).status;
    expect(last).toBe(429);

    const soon = await link(f.id, { expiresAt: new Date(Date.now() + 60_000).toISOString() });
    await server.kernel.db
      .withTables<{ files_links: { id: string; expires_at: string } }>()
      .updateTable("files_links")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("id", "=", soon.id)
      .execute();
    const expired = await pub(soon.token);
    expect([expired.status, expired.body.code]).toEqual([410, "files_link_expired"]);
    expect((await anon.get(`/api/files/public/${soon.token}/content`)).status).toBe(410);
  });

  it("« dépôt »: drops files into a folder without listing it or overwriting anything", async () => {
    const d = await mkdir(alice.client, aliceRoot, "Candidatures");
    await upload(alice.client, d.id, "cv.pdf", "déjà là");
    expect((await alice.client.post(`/api/files/nodes/${aliceRoot}/links`, { kind: "upload" })).status).toBe(403);
    const f = await upload(alice.client, d.id, "seul.txt", "x");
    expect((await alice.client.post(`/api/files/nodes/${f.id}/links`, { kind: "upload" })).status).toBe(400);
    const l = await link(d.id, { kind: "upload" });
    const page = await pub(l.token);
    expect([page.status, page.body.kind, page.body.children]).toEqual([200, "upload", []]);
    for (const body of ["nouveau", "encore"]) {
      const r = await anon.request<{ name: string }>(
        "PUT",
        `/api/files/public/${l.token}/files?name=cv.pdf`,
        undefined,
        {
          raw: Buffer.from(body),
        },
      );
      expect(r.status, r.text).toBe(201);
    }
    expect((await anon.get(`/api/files/public/${l.token}/content`)).status).toBe(403);
    const names = (await alice.client.get<FolderListing>(`/api/files/nodes/${d.id}`)).body.children.map((c) => c.name);
    expect(names).toEqual(["cv (2).pdf", "cv (3).pdf", "cv.pdf", "seul.txt"]);
    const bad = await anon.request("PUT", `/api/files/public/${l.token}/files?name=..%2Fx`, undefined, {
      raw: Buffer.from("x"),
    });
    expect(bad.status).toBe(400);
  });
});
