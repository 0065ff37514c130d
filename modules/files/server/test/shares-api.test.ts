import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  matrixUser,
  startTestServer,
  waitFor,
  type MatrixUser,
  type TestClient,
  type TestServer,
} from "@ensemble/testkit";
import type {
  FileLink,
  FileNode,
  FileShare,
  FileSpace,
  FolderListing,
  IncomingShare,
  SharedByMe,
} from "../../shared/wire.ts";
import { filesDb } from "../tables.ts";

let server: TestServer;
let alice: MatrixUser;
let bruno: MatrixUser;
let carla: MatrixUser;
let other: MatrixUser;
let admin: MatrixUser;
let aliceRoot: string;

const upload = (c: TestClient, folder: string, name: string, body: string) =>
  c.request<FileNode>("PUT", `/api/files/nodes/${folder}/files?name=${encodeURIComponent(name)}`, undefined, {
    raw: Buffer.from(body),
    headers: { "content-type": "text/plain" },
  });
const folder = async (c: TestClient, parent: string, name: string) =>
  (await c.post<FileNode>(`/api/files/nodes/${parent}/folders`, { name })).body;
const share = (c: TestClient, node: string, to: { kind: "user" | "group"; id: string }, permission: string) =>
  c.post<FileShare & { code?: string }>(`/api/files/nodes/${node}/shares`, { recipient: to, permission });
const incoming = async (c: TestClient) =>
  (await c.get<{ shares: IncomingShare[] }>("/api/files/shared-with-me")).body.shares;

beforeAll(async () => {
  server = await startTestServer();
  [alice, bruno, carla, other, admin] = await Promise.all([
    matrixUser(server),
    matrixUser(server),
    matrixUser(server),
    matrixUser(server),
    matrixUser(server, "admin"),
  ]);
  aliceRoot = (await alice.client.get<{ spaces: FileSpace[] }>("/api/files/spaces")).body.spaces[0]!.rootId;
});
afterAll(async () => {
  await server?.close();
});

describe("sharing with people", () => {
  it("a read share opens a folder and what it holds to its recipient only, from the shared folder down", async () => {
    const projets = await folder(alice.client, aliceRoot, "Projets");
    const dossier = await folder(alice.client, projets.id, "Budget");
    const f = await upload(alice.client, dossier.id, "budget.txt", "42 k€");
    const s = await share(alice.client, dossier.id, { kind: "user", id: bruno.id }, "read");
    expect(s.status, s.text).toBe(201);
    expect(s.body.recipient).toMatchObject({ kind: "user", id: bruno.id });
    expect(s.body.actions).toEqual(["read", "update", "revoke"]);

    const mine = await incoming(bruno.client);
    expect(mine.map((m) => [m.node.name, m.permission, m.sharedBy?.id])).toEqual([["Budget", "read", alice.id]]);
    expect(mine[0]!.node.actions).toEqual(["read"]);
    const l = await bruno.client.get<FolderListing>(`/api/files/nodes/${dossier.id}`);
    expect(l.status).toBe(200);
    // The folders above the shared one stay Alice's: the breadcrumbs start at the share.
    expect(l.body.path.map((p) => p.name)).toEqual(["Budget"]);
    // The node, not Alice's space: neither its name nor her quota and usage.
    expect(l.body.space).toBeNull();
    expect(l.text).not.toContain("usedBytes");
    expect((await alice.client.get<FolderListing>(`/api/files/nodes/${dossier.id}`)).body.space).toMatchObject({
      rootId: aliceRoot,
      kind: "user",
    });
    expect(l.body.children.map((c) => [c.name, c.actions])).toEqual([["budget.txt", ["read"]]]);
    expect((await bruno.client.get(`/api/files/nodes/${f.body.id}/content`)).text).toBe("42 k€");
    // Read-only: no upload, no new folder, no delete; the folder above is unseen.
    expect((await upload(bruno.client, dossier.id, "intrus.txt", "x")).status).toBe(403);
    expect((await bruno.client.post(`/api/files/nodes/${dossier.id}/folders`, { name: "x" })).status).toBe(403);
    expect((await bruno.client.delete(`/api/files/nodes/${f.body.id}`)).status).toBe(403);
    expect((await bruno.client.get(`/api/files/nodes/${projets.id}`)).status).toBe(404);
    expect(
      (
        await bruno.client.post(`/api/files/nodes/${dossier.id}/shares`, {
          recipient: { kind: "user", id: carla.id },
          permission: "read",
        })
      ).status,
    ).toBe(403);
    for (const c of [other.client, admin.client]) {
      expect((await c.get(`/api/files/nodes/${dossier.id}`)).status).toBe(404);
      expect((await c.get(`/api/files/nodes/${f.body.id}/content`)).status).toBe(404);
      expect(await incoming(c)).toEqual([]);
    }

    // The recipient is notified through the kernel.
    await waitFor(async () => {
      const n = await bruno.client.get<{ items: { kind: string; link: string | null }[] }>("/api/notifications");
      return n.body.items.some((i) => i.kind === "files.share" && i.link === `/files/${dossier.id}`);
    }, "Bruno is notified of the share");

    // Revoked: gone from the list and unseen again.
    expect((await alice.client.delete(`/api/files/shares/${s.body.id}`)).status).toBe(204);
    expect(await incoming(bruno.client)).toEqual([]);
    expect((await bruno.client.get(`/api/files/nodes/${f.body.id}/content`)).status).toBe(404);
    const events = await server.kernel.db
      .withTables<{ events: { name: string } }>()
      .selectFrom("events")
      .select("name")
      .where("name", "like", "files.share.%")
      .execute();
    expect(events.map((e) => e.name).sort()).toEqual(["files.share.created", "files.share.revoked"]);
  });

  it("an edit share lets the recipient change what is inside, never delete the shared folder itself", async () => {
    const d = await folder(alice.client, aliceRoot, "Commun");
    const f = await upload(alice.client, d.id, "notes.txt", "v1");
    expect((await share(alice.client, d.id, { kind: "user", id: bruno.id }, "edit")).status).toBe(201);
    const put = await upload(bruno.client, d.id, "notes.txt", "v2 par Bruno");
    expect(put.status, put.text).toBe(200);
    expect(put.body.actions).toEqual(["read", "write", "delete"]);
    expect((await alice.client.get(`/api/files/nodes/${f.body.id}/content`)).text).toBe("v2 par Bruno");
    const added = await upload(bruno.client, d.id, "ajout.txt", "nouveau");
    expect(added.status).toBe(200);
    expect((await bruno.client.delete(`/api/files/nodes/${added.body.id}`)).status).toBe(204);
    expect((await bruno.client.delete(`/api/files/nodes/${d.id}`)).status).toBe(403);
    // The trash stays Alice's.
    expect((await bruno.client.post(`/api/files/nodes/${added.body.id}/restore`)).status).toBe(404);
    expect((await alice.client.post(`/api/files/nodes/${added.body.id}/restore`)).status).toBe(200);
    // Edit does not reshare.
    expect((await share(bruno.client, d.id, { kind: "user", id: carla.id }, "read")).status).toBe(403);
  });

  it("reshare passes on at most one's own level; the recipient may leave a share made to them", async () => {
    const d = await folder(alice.client, aliceRoot, "Relais");
    expect((await share(alice.client, d.id, { kind: "user", id: bruno.id }, "reshare")).status).toBe(201);
    expect((await share(alice.client, d.id, { kind: "user", id: bruno.id }, "read")).status).toBe(409);
    const toCarla = await share(bruno.client, d.id, { kind: "user", id: carla.id }, "read");
    expect(toCarla.status, toCarla.text).toBe(201);
    expect((await incoming(carla.client)).map((m) => m.node.name)).toEqual(["Relais"]);
    // Alice sees both shares of her folder; Carla cannot change hers to more.
    const list = await alice.client.get<{ shares: FileShare[] }>(`/api/files/nodes/${d.id}/shares`);
    expect(list.body.shares.map((s) => [s.recipient.id, s.permission])).toEqual([
      [bruno.id, "reshare"],
      [carla.id, "read"],
    ]);
    expect((await carla.client.patch(`/api/files/shares/${toCarla.body.id}`, { permission: "edit" })).status).toBe(403);
    expect((await carla.client.get(`/api/files/nodes/${d.id}/shares`)).status).toBe(403);
    expect((await carla.client.delete(`/api/files/shares/${toCarla.body.id}`)).status).toBe(204);
    expect(await incoming(carla.client)).toEqual([]);
    // Sharing with oneself, or a space's root, is refused.
    expect((await share(alice.client, d.id, { kind: "user", id: alice.id }, "read")).status).toBe(400);
    expect((await share(alice.client, aliceRoot, { kind: "user", id: carla.id }, "read")).status).toBe(403);
  });

  it("a group share reaches the group's members; an expired share reaches nobody", async () => {
    const g = await admin.client.post<{ id: string }>("/api/groups", { name: "Voirie" });
    for (const u of [alice, carla])
      expect((await admin.client.post(`/api/groups/${g.body.id}/members`, { userId: u.id })).status).toBeLessThan(300);
    const d = await folder(alice.client, aliceRoot, "Chantiers");
    const s = await share(alice.client, d.id, { kind: "group", id: g.body.id }, "edit");
    expect(s.status, s.text).toBe(201);
    expect(s.body.recipient).toMatchObject({ kind: "group", name: "Voirie" });
    expect((await incoming(carla.client)).map((m) => [m.node.name, m.permission])).toEqual([["Chantiers", "edit"]]);
    expect((await upload(carla.client, d.id, "plan.txt", "rue")).status).toBe(200);
    expect((await bruno.client.get(`/api/files/nodes/${d.id}`)).status).toBe(404);
    // A group's share is the group's: a member cannot leave it alone.
    expect((await carla.client.delete(`/api/files/shares/${s.body.id}`)).status).toBe(403);
    await filesDb(server.kernel)
      .updateTable("files_shares")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("id", "=", s.body.id)
      .execute();
    expect(await incoming(carla.client)).toEqual([]);
    expect((await carla.client.get(`/api/files/nodes/${d.id}`)).status).toBe(404);
    // Alice still sees it, to renew it.
    const renewed = await alice.client.patch<FileShare>(`/api/files/shares/${s.body.id}`, { expiresAt: null });
    expect(renewed.status, renewed.text).toBe(200);
    expect((await carla.client.get(`/api/files/nodes/${d.id}`)).status).toBe(200);
  });

  it("« Partagés par moi » lists the shares and links one made, until revoked; nobody else sees them", async () => {
    const d = await folder(alice.client, aliceRoot, "Rapports annuels");
    const f = await upload(alice.client, d.id, "rapport.pdf", "%PDF");
    const s = await share(alice.client, d.id, { kind: "user", id: carla.id }, "edit");
    const l = await alice.client.post<FileLink>(`/api/files/nodes/${f.body.id}/links`, { password: "tramway-2027" });
    expect([s.status, l.status]).toEqual([201, 201]);
    const mine = await alice.client.get<SharedByMe>("/api/files/shared-by-me");
    expect(mine.status, mine.text).toBe(200);
    const ours = mine.body.shares.find((x) => x.id === s.body.id);
    expect(ours).toMatchObject({
      node: { id: d.id, name: "Rapports annuels", kind: "folder" },
      recipient: { kind: "user", id: carla.id },
      permission: "edit",
      actions: ["read", "update", "revoke"],
    });
    expect(mine.body.links.map((x) => [x.id, x.node.name, x.hasPassword, x.actions])).toEqual([
      [l.body.id, "rapport.pdf", true, ["read", "revoke"]],
    ]);
    expect(mine.text).not.toContain("token");
    // Carla received it, she did not make it; Bruno has nothing to do with it.
    for (const c of [carla.client, bruno.client]) {
      const theirs = (await c.get<SharedByMe>("/api/files/shared-by-me")).body;
      expect(theirs.shares.some((x) => x.id === s.body.id)).toBe(false);
      expect(theirs.links).toEqual([]);
    }
    expect((await alice.client.delete(`/api/files/shares/${s.body.id}`)).status).toBe(204);
    expect((await alice.client.delete(`/api/files/links/${l.body.id}`)).status).toBe(204);
    const after = (await alice.client.get<SharedByMe>("/api/files/shared-by-me")).body;
    expect(after.shares.some((x) => x.id === s.body.id)).toBe(false);
    expect(after.links).toEqual([]);
    // A node in the trash drops out of the list with its shares.
    const g = await share(alice.client, f.body.id, { kind: "user", id: bruno.id }, "read");
    expect(g.status).toBe(201);
    expect((await alice.client.delete(`/api/files/nodes/${d.id}`)).status).toBe(204);
    const trashed = (await alice.client.get<SharedByMe>("/api/files/shared-by-me")).body;
    expect(trashed.shares.some((x) => x.id === g.body.id)).toBe(false);
  });
});
