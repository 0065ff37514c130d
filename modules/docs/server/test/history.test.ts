import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";
import type { VersionContent, VersionDiff, VersionList, DocumentVersion } from "../../shared/history.ts";
import { diffLines } from "../line-diff.ts";
import { plainLines } from "../plain-lines.ts";
import { acknowledged, clientPool, newDocument, personalRoot, synced, type CollabClient } from "./collab-clients.ts";

let server: TestServer;
let alice: TestClient;
let aliceRoot: string;
const { connect, closeAll } = clientPool(() => server.url);

/** A paragraph as TipTap's Collaboration writes it. */
function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}
/** The body's paragraphs' text, as an editor bound to it would show them. */
const paragraphs = (c: CollabClient) =>
  c.doc
    .getXmlFragment("body")
    .toArray()
    .map((n) =>
      n instanceof Y.XmlElement
        ? n
            .toArray()
            .map((t) => (t instanceof Y.XmlText ? t.toString() : ""))
            .join("")
        : "",
    );

beforeAll(async () => {
  // Every store that changed a document keeps an automatic version.
  server = await startTestServer({ env: { COLLAB_STORE_DEBOUNCE_MS: "50", COLLAB_VERSION_INTERVAL_MS: "0" } });
  ({ client: alice } = await server.signedIn());
  aliceRoot = await personalRoot(alice);
});
afterEach(closeAll);
afterAll(async () => {
  await server?.close();
});

describe("a document's history", () => {
  it("keeps automatic versions while the document changes", async () => {
    const id = await newDocument(alice, aliceRoot, "Journal.ensdoc");
    const a = connect(id, { cookies: alice });
    await synced(a, "a");
    const autos = async () =>
      (await alice.get<VersionList>(`/api/docs/${id}/versions`)).body.items.filter((v) => v.kind === "auto");
    a.doc.getXmlFragment("body").insert(0, [paragraph("Lundi")]);
    await waitFor(async () => (await autos()).length === 1, "a first automatic version");
    a.doc.getXmlFragment("body").insert(1, [paragraph("Mardi")]);
    await waitFor(async () => (await autos()).length === 2, "a second one after another change");
    const [newest] = await autos();
    expect(newest!.author).toBeNull();
    const content = await alice.get<VersionContent>(`/api/docs/${id}/versions/${newest!.id}`);
    expect(content.body.markdown).toBe("Lundi\n\nMardi\n");
  });

  it("names a version, shows it, compares it with the current text, and restores it live on every editor", async () => {
    const id = await newDocument(alice, aliceRoot, "Procédure.ensdoc");
    const a = connect(id, { cookies: alice });
    const b = connect(id, { cookies: alice });
    await Promise.all([synced(a, "a"), synced(b, "b")]);
    const body = a.doc.getXmlFragment("body");
    body.insert(0, [paragraph("Ouvrir le local"), paragraph("Point A")]);
    await acknowledged(a);

    const named = await alice.post<DocumentVersion>(`/api/docs/${id}/versions`, { name: "Validée en CODIR" });
    expect(named.status, named.text).toBe(201);
    expect(named.body).toMatchObject({
      kind: "named",
      name: "Validée en CODIR",
      author: { displayName: expect.any(String) },
    });
    const shown = await alice.get<VersionContent>(`/api/docs/${id}/versions/${named.body.id}`);
    expect(shown.body.markdown).toBe("Ouvrir le local\n\nPoint A\n");

    // Edits after the version: one line changed, one added.
    const pointA = (body.get(1) as Y.XmlElement).get(0) as Y.XmlText;
    pointA.delete(6, 1);
    pointA.insert(6, "B");
    body.insert(2, [paragraph("Point C")]);
    await acknowledged(a);
    await waitFor(() => paragraphs(b).join("|") === "Ouvrir le local|Point B|Point C", "b has the edits");
    const diff = await alice.get<VersionDiff>(`/api/docs/${id}/versions/${named.body.id}/compare`);
    expect(diff.body.lines).toEqual([
      { change: "same", text: "Ouvrir le local" },
      { change: "removed", text: "Point A" },
      { change: "added", text: "Point B" },
      { change: "added", text: "Point C" },
    ]);

    const restored = await alice.post<{ restored: DocumentVersion; kept: DocumentVersion }>(
      `/api/docs/${id}/versions/${named.body.id}/restore`,
      {},
    );
    expect(restored.status, restored.text).toBe(200);
    for (const c of [a, b])
      await waitFor(() => paragraphs(c).join("|") === "Ouvrir le local|Point A", "the restore reaches every editor");
    // Acknowledged like any change: the export (stored state and log) has it; the replaced text is kept.
    expect((await alice.get(`/api/docs/${id}/export?format=md`)).text).toBe("Ouvrir le local\n\nPoint A\n");
    const kept = await alice.get<VersionContent>(`/api/docs/${id}/versions/${restored.body.kept.id}`);
    expect(kept.body.version.kind).toBe("before-restore");
    expect(kept.body.markdown).toBe("Ouvrir le local\n\nPoint B\n\nPoint C\n");
    // An editor keeps working on the restored text, and the others get it.
    ((a.doc.getXmlFragment("body").get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(7, " bis");
    await waitFor(() => paragraphs(b)[1] === "Point A bis", "an edit after the restore");
  });

  it("lets readers look but not name or restore; strangers get 404; bad input changes nothing", async () => {
    const id = await newDocument(alice, aliceRoot, "Partagé.ensdoc");
    const a = connect(id, { cookies: alice });
    await synced(a, "a");
    a.doc.getXmlFragment("body").insert(0, [paragraph("Texte")]);
    await acknowledged(a);
    const v = await alice.post<DocumentVersion>(`/api/docs/${id}/versions`, { name: "v1" });
    const { client: reader, user: readerUser } = await server.signedIn();
    const share = await alice.post(`/api/files/nodes/${id}/shares`, {
      recipient: { kind: "user", id: readerUser.id },
      permission: "read",
    });
    expect(share.status, share.text).toBe(201);

    const list = await reader.get<VersionList>(`/api/docs/${id}/versions`);
    expect(list.status).toBe(200);
    expect(list.body.allowed).toEqual({ name: false, restore: false });
    expect((await reader.get(`/api/docs/${id}/versions/${v.body.id}/compare`)).status).toBe(200);
    expect((await reader.post(`/api/docs/${id}/versions`, { name: "v2" })).status).toBe(403);
    expect((await reader.post(`/api/docs/${id}/versions/${v.body.id}/restore`, {})).status).toBe(403);

    const { client: stranger } = await server.signedIn();
    for (const r of [
      await stranger.get(`/api/docs/${id}/versions`),
      await stranger.get(`/api/docs/${id}/versions/${v.body.id}`),
      await stranger.post(`/api/docs/${id}/versions`, { name: "x" }),
      await stranger.post(`/api/docs/${id}/versions/${v.body.id}/restore`, {}),
    ])
      expect(r.status).toBe(404);

    const empty = await alice.post<{ code: string }>(`/api/docs/${id}/versions`, { name: "   " });
    expect(empty.status).toBe(400);
    expect(empty.headers.get("content-type")).toContain("application/problem+json");
    const other = await newDocument(alice, aliceRoot, "Autre.ensdoc");
    expect((await alice.get(`/api/docs/${other}/versions/${v.body.id}`)).status).toBe(404);
    const names = (await alice.get<VersionList>(`/api/docs/${id}/versions`)).body.items.filter(
      (x) => x.kind === "named",
    );
    expect(names.map((x) => x.name)).toEqual(["v1"]);
  });
});

describe("the line comparison", () => {
  it("keeps the common head and tail and orders a replacement as removed then added", () => {
    expect(diffLines(["a", "b", "c"], ["a", "x", "c"])).toEqual([
      { change: "same", text: "a" },
      { change: "removed", text: "b" },
      { change: "added", text: "x" },
      { change: "same", text: "c" },
    ]);
    expect(diffLines([], ["a"])).toEqual([{ change: "added", text: "a" }]);
    expect(diffLines(["a", "b"], [])).toEqual([
      { change: "removed", text: "a" },
      { change: "removed", text: "b" },
    ]);
    expect(diffLines(["x", "a", "y", "b"], ["a", "b", "z"]).map((l) => `${l.change[0]}${l.text}`)).toEqual([
      "rx",
      "sa",
      "ry",
      "sb",
      "az",
    ]);
  });

  it("compares blocks as plain text lines: marks dropped, list items marked", () => {
    const doc = new Y.Doc();
    const heading = new Y.XmlElement("heading");
    const title = new Y.XmlText();
    heading.insert(0, [title]);
    const tasks = new Y.XmlElement("taskList");
    const done = new Y.XmlElement("taskItem");
    done.setAttribute("checked", true as unknown as string);
    done.insert(0, [paragraph("Clés")]);
    const todo = new Y.XmlElement("taskItem");
    todo.insert(0, [paragraph("Badge")]);
    tasks.insert(0, [done, todo]);
    const bullets = new Y.XmlElement("bulletList");
    const item = new Y.XmlElement("listItem");
    item.insert(0, [paragraph("Un")]);
    bullets.insert(0, [item]);
    doc.getXmlFragment("body").insert(0, [heading, paragraph(""), tasks, bullets]);
    title.insert(0, "Ordre ");
    title.insert(6, "du jour", { bold: true });
    expect(plainLines(doc)).toEqual(["Ordre du jour", "☑ Clés", "☐ Badge", "• Un"]);
  });
});
