import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matrixUser, startTestServer, type MatrixUser, type TestServer } from "@ensemble/testkit";
import type { CreatedLink, FileNode, FileSpace } from "../../shared/wire.ts";

/**
 * Who may do what with a shared folder and its file, over the web API, WebDAV and public links.
 * Actors: the owner; recipients of a read and of an edit share; a member of a group the folder is
 * shared with (edit); another member, an administrator and a guest of the organisation; nobody
 * signed in. Expected: a = 2xx, h = 404 (unseen), d = 403, u = 401, c = 409 (WebDAV: a PUT or MKCOL
 * under « Matrice » where one has no such folder — their own tree, nothing of the owner's shows).
 */
const actors = ["owner", "read", "edit", "group", "other", "admin", "guest", "anonymous"] as const;
type ActorName = (typeof actors)[number];
type Outcome = "a" | "h" | "d" | "u" | "c";

interface World {
  folder: string;
  file: string;
  users: Record<Exclude<ActorName, "anonymous">, MatrixUser & { token: string }>;
}

let server: TestServer;
let w: World;

const codes: Record<number, Outcome> = { 404: "h", 403: "d", 401: "u", 409: "c" };
const outcome = (status: number): string => (status >= 200 && status < 300 ? "a" : (codes[status] ?? String(status)));

async function withToken(u: MatrixUser): Promise<MatrixUser & { token: string }> {
  const r = await u.client.post<{ token: string }>("/api/me/tokens", { name: "dav", scopes: ["read", "write"] });
  return { ...u, token: r.body.token };
}

async function api(actor: ActorName, method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown) {
  const c = actor === "anonymous" ? server.client() : w.users[actor].client;
  return method === "PUT"
    ? c.request(method, path, undefined, { raw: Buffer.from("x") })
    : c.request(method, path, body ?? (method === "POST" ? {} : undefined));
}

/** A WebDAV request in the actor's own tree, where the owner's folder is « Matrice » (theirs or mounted). */
async function dav(actor: ActorName, method: string, rest: string) {
  const u = actor === "anonymous" ? undefined : w.users[actor];
  const r = await fetch(`${server.url}/remote.php/dav/files/${u?.username ?? "nobody"}/Matrice${rest}`, {
    method,
    headers: {
      ...(u ? { authorization: `Basic ${Buffer.from(`${u.username}:${u.token}`).toString("base64")}` } : {}),
      ...(method === "PROPFIND" ? { depth: "1" } : {}),
    },
    body: method === "PUT" ? "x" : undefined,
  });
  await r.arrayBuffer();
  return { status: r.status };
}

/** A fresh file in the shared folder, for a row that changes or removes it. */
const freshFile = async (name: string) =>
  (
    await w.users.owner.client.request<FileNode>("PUT", `/api/files/nodes/${w.folder}/files?name=${name}`, undefined, {
      raw: Buffer.from("frais"),
    })
  ).body.id;

let n = 0;
const rows: { action: string; run: (a: ActorName) => Promise<{ status: number }>; expect: string }[] = [
  //                                                                     owner read edit group other admin guest anon
  { action: "api list folder", run: (a) => api(a, "GET", `/api/files/nodes/${w.folder}`), expect: "aaaahhhu" },
  { action: "api download", run: (a) => api(a, "GET", `/api/files/nodes/${w.file}/content`), expect: "aaaahhhu" },
  {
    action: "api upload into",
    run: (a) => api(a, "PUT", `/api/files/nodes/${w.folder}/files?name=u${n++}.txt`),
    expect: "adaahhhu",
  },
  {
    action: "api new folder",
    run: (a) => api(a, "POST", `/api/files/nodes/${w.folder}/folders`, { name: `f${n++}` }),
    expect: "adaahhhu",
  },
  {
    action: "api delete file",
    run: async (a) => api(a, "DELETE", `/api/files/nodes/${await freshFile(`d${n++}.txt`)}`),
    expect: "adaahhhu",
  },
  { action: "api list shares", run: (a) => api(a, "GET", `/api/files/nodes/${w.folder}/shares`), expect: "adddhhhu" },
  { action: "api create link", run: (a) => api(a, "POST", `/api/files/nodes/${w.folder}/links`), expect: "adddhhhu" },
  { action: "dav propfind", run: (a) => dav(a, "PROPFIND", "/"), expect: "aaaahhhu" },
  { action: "dav get", run: (a) => dav(a, "GET", "/rapport.txt"), expect: "aaaahhhu" },
  { action: "dav put new", run: (a) => dav(a, "PUT", `/p${n++}.txt`), expect: "adaacccu" },
  { action: "dav delete", run: async (a) => dav(a, "DELETE", `/${await freshFileName()}`), expect: "adaahhhu" },
  { action: "dav mkcol", run: (a) => dav(a, "MKCOL", `/c${n++}`), expect: "adaacccu" },
];

async function freshFileName(): Promise<string> {
  const name = `dd${n++}.txt`;
  await freshFile(name);
  return name;
}

beforeAll(async () => {
  server = await startTestServer();
  const [owner, read, edit, group, other, admin, guest, setup] = await Promise.all([
    matrixUser(server),
    matrixUser(server),
    matrixUser(server),
    matrixUser(server),
    matrixUser(server),
    matrixUser(server, "admin"),
    matrixUser(server, "guest"),
    // Creates the group (its creator joins it): not one of the actors.
    matrixUser(server, "admin"),
  ]);
  const users = await Promise.all([owner, read, edit, group, other, admin, guest].map(withToken));
  const [o, r, e, g, ot, ad, gu] = users as [World["users"]["owner"], ...World["users"]["owner"][]];
  const root = (await owner.client.get<{ spaces: FileSpace[] }>("/api/files/spaces")).body.spaces[0]!.rootId;
  const folder = (await owner.client.post<FileNode>(`/api/files/nodes/${root}/folders`, { name: "Matrice" })).body.id;
  w = { folder, file: "", users: { owner: o, read: r!, edit: e!, group: g!, other: ot!, admin: ad!, guest: gu! } };
  w.file = (
    await owner.client.request<FileNode>("PUT", `/api/files/nodes/${folder}/files?name=rapport.txt`, undefined, {
      raw: Buffer.from("rapport"),
    })
  ).body.id;
  const grp = await setup.client.post<{ id: string }>("/api/groups", { name: "Matrice" });
  await setup.client.post(`/api/groups/${grp.body.id}/members`, { userId: group.id });
  for (const [to, permission] of [
    [{ kind: "user", id: read.id }, "read"],
    [{ kind: "user", id: edit.id }, "edit"],
    [{ kind: "group", id: grp.body.id }, "edit"],
  ] as const) {
    const s = await owner.client.post(`/api/files/nodes/${folder}/shares`, { recipient: to, permission });
    expect(s.status, s.text).toBe(201);
  }
});
afterAll(async () => {
  await server?.close();
});

describe("files authorization matrix", () => {
  it("every actor × action over the web API and WebDAV", async () => {
    const bad: string[] = [];
    const table: string[] = [];
    for (const row of rows) {
      let line = "";
      for (const [i, a] of actors.entries()) {
        const got = outcome((await row.run(a)).status);
        line += got === row.expect[i] ? got : `✗${got}`;
        if (got !== row.expect[i]) bad.push(`${a} × ${row.action}: expected ${row.expect[i]}, got ${got}`);
      }
      table.push(`${row.action.padEnd(18)} ${line}`);
    }
    expect(bad, `${actors.join(" ")}\n${table.join("\n")}`).toEqual([]);
  });

  it("public links: with the link, without it, without its password — whoever holds it, guest or nobody", async () => {
    const owner = w.users.owner.client;
    const open = (await owner.post<CreatedLink>(`/api/files/nodes/${w.folder}/links`, {})).body;
    const locked = (await owner.post<CreatedLink>(`/api/files/nodes/${w.folder}/links`, { password: "mot-de-passe" }))
      .body;
    const cases: [string, number][] = [];
    for (const c of [server.client(), w.users.guest.client, w.users.other.client]) {
      cases.push(["with link", (await c.get(`/api/files/public/${open.token}`)).status]);
      cases.push(["with link, file", (await c.get(`/api/files/public/${open.token}/content?node=${w.file}`)).status]);
      cases.push(["without link", (await c.get(`/api/files/public/${"x".repeat(43)}`)).status]);
      cases.push(["no password", (await c.get(`/api/files/public/${locked.token}/content?node=${w.file}`)).status]);
      cases.push([
        "drop into read link",
        (
          await c.request("PUT", `/api/files/public/${open.token}/files?name=z.txt`, undefined, {
            raw: Buffer.from("z"),
          })
        ).status,
      ]);
    }
    expect(cases).toEqual(
      Array.from({ length: 3 }, () => [
        ["with link", 200],
        ["with link, file", 200],
        ["without link", 404],
        ["no password", 401],
        ["drop into read link", 403],
      ]).flat(),
    );
  });
});
