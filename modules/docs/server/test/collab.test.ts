import { sql } from "kysely";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";
import { DocsCloseCodes } from "../../shared/close-codes.ts";
import { docsDb } from "../tables.ts";
import { collabClient, newDocument, personalRoot, type CollabClient } from "./collab-clients.ts";

let server: TestServer;
let alice: TestClient;
let aliceRoot: string;
const open: CollabClient[] = [];

const connect = (docId: string, as: Parameters<typeof collabClient>[2]) => {
  const c = collabClient(server.url, docId, as);
  open.push(c);
  return c;
};
const synced = (c: CollabClient, what: string) => waitFor(() => c.provider.isSynced, `${what} synced`);
/** What a client joining now would be served: the stored state and logged updates, merged. */
async function storedText(docId: string): Promise<string> {
  const db = docsDb(server.kernel);
  // The log before the state, as DocumentStore.load reads them (a compaction may commit in between).
  const updates = await db.selectFrom("docs_updates").select("update").where("doc_id", "=", docId).execute();
  const state = await db.selectFrom("docs_states").select("state").where("doc_id", "=", docId).executeTakeFirst();
  const doc = new Y.Doc();
  for (const u of [...(state ? [state.state] : []), ...updates.map((x) => x.update)])
    Y.applyUpdate(doc, new Uint8Array(u));
  return doc.getText("plain").toString();
}

beforeAll(async () => {
  server = await startTestServer({ env: { COLLAB_STORE_DEBOUNCE_MS: "50" } });
  ({ client: alice } = await server.signedIn());
  aliceRoot = await personalRoot(alice);
});
afterEach(() => {
  for (const c of open.splice(0)) c.destroy();
});
afterAll(async () => {
  await server?.close();
});

describe("co-editing at /collab with the stock Hocuspocus provider", () => {
  it("two clients converge, and the text is stored", async () => {
    const id = await newDocument(alice, aliceRoot, "Compte rendu.ensdoc");
    const a = connect(id, { cookies: alice });
    const b = connect(id, { cookies: alice });
    await Promise.all([synced(a, "a"), synced(b, "b")]);
    a.text.insert(0, "Bonjour");
    b.text.insert(0, "Salut ");
    await waitFor(() => a.text.length === 13 && b.text.length === 13, "both edits everywhere");
    expect(a.text.toString()).toBe(b.text.toString());
    await waitFor(() => !a.provider.hasUnsyncedChanges && !b.provider.hasUnsyncedChanges, "both acknowledged");
    expect(await storedText(id)).toBe(a.text.toString());
  });

  it("twenty clients typing at once converge", async () => {
    const id = await newDocument(alice, aliceRoot, "Vingt.ensdoc");
    const clients = Array.from({ length: 20 }, () => connect(id, { cookies: alice }));
    await Promise.all(clients.map((c, i) => synced(c, `client ${i}`)));
    clients.forEach((c, i) => c.text.insert(0, `[${i}]`));
    const expected = clients.reduce((n, _c, i) => n + `[${i}]`.length, 0);
    await waitFor(() => clients.every((c) => c.text.length === expected), "every edit on every client", 20_000);
    const texts = new Set(clients.map((c) => c.text.toString()));
    expect(texts.size).toBe(1);
    for (let i = 0; i < 20; i++) expect(clients[0]!.text.toString()).toContain(`[${i}]`);
  });

  it("refuses the updates of a read-only connection: no other client and no stored state changes", async () => {
    const id = await newDocument(alice, aliceRoot, "Lecture.ensdoc");
    const token = await alice.post<{ token: string }>("/api/me/tokens", { name: "lecteur", scopes: ["read"] });
    expect(token.status, token.text).toBe(201);
    const writer = connect(id, { cookies: alice });
    await synced(writer, "writer");
    writer.text.insert(0, "Texte validé.");
    await waitFor(() => writer.acked() === "Texte validé.", "writer acknowledged");
    const reader = connect(id, { headers: { authorization: `Bearer ${token.body.token}` } });
    await waitFor(() => reader.text.toString() === "Texte validé.", "reader sees the text");
    expect(reader.provider.authorizedScope).toBe("readonly");
    reader.text.insert(0, "PIRATE ");
    // The writer's later change reaches the reader: the server has handled the reader's before.
    writer.text.insert(writer.text.length, " Fin.");
    await waitFor(() => reader.text.toString().endsWith(" Fin."), "the writer's change at the reader");
    const other = connect(id, { cookies: alice });
    await waitFor(() => other.text.toString().endsWith(" Fin."), "a new client synced");
    expect(other.text.toString()).toBe("Texte validé. Fin.");
    expect(writer.text.toString()).toBe("Texte validé. Fin.");
    await waitFor(async () => (await storedText(id)) === "Texte validé. Fin.", "stored");
  });

  it("disconnects a member removed from the group with the documented close code", async () => {
    const { client: admin } = await server.signedIn({ role: "admin" });
    const { client: bob, user: bobUser } = await server.signedIn();
    const g = await admin.post<{ id: string }>("/api/groups", { name: `Rédaction ${Date.now()}` });
    expect((await admin.post(`/api/groups/${g.body.id}/members`, { userId: bobUser.id })).status).toBeLessThan(300);
    const folder = await admin.post<{ rootId: string }>("/api/files/group-folders", {
      groupId: g.body.id,
      name: "Rédaction",
    });
    expect(folder.status, folder.text).toBe(201);
    const id = await newDocument(bob, folder.body.rootId, "Journal.ensdoc");
    const b = connect(id, { cookies: bob });
    await synced(b, "bob");
    b.text.insert(0, "Brouillon");
    await waitFor(() => b.acked() === "Brouillon", "bob's edit acknowledged");
    expect((await admin.delete(`/api/groups/${g.body.id}/members/${bobUser.id}`)).status).toBeLessThan(300);
    await waitFor(() => b.closes.includes(DocsCloseCodes.accessRevoked.code), "bob disconnected");
    // The provider tries again and is refused: the document is out of reach now.
    await waitFor(() => b.denied.includes("permission-denied"), "bob refused on reconnect");
  });

  it("never serves or stores an empty document when loading fails", async () => {
    const id = await newDocument(alice, aliceRoot, "Fragile.ensdoc");
    const a = connect(id, { cookies: alice });
    await synced(a, "a");
    a.text.insert(0, "Contenu précieux");
    await waitFor(() => a.acked() === "Contenu précieux", "acknowledged");
    a.destroy();
    const db = docsDb(server.kernel);
    // The last disconnect stores the whole state and the document leaves memory.
    await waitFor(
      async () =>
        (await db.selectFrom("docs_updates").select("id").where("doc_id", "=", id).execute()).length === 0 &&
        (await db.selectFrom("docs_states").select("doc_id").where("doc_id", "=", id).executeTakeFirst()) !== undefined,
      "compacted on last disconnect",
    );
    const before = await db
      .selectFrom("docs_states")
      .select("state")
      .where("doc_id", "=", id)
      .executeTakeFirstOrThrow();
    await sql`alter table docs_updates rename to docs_updates_away`.execute(server.kernel.db);
    let broken: CollabClient;
    try {
      broken = connect(id, { cookies: alice });
      broken.text.insert(0, "ÉCRASÉ");
      await waitFor(() => broken.closes.includes(DocsCloseCodes.loadFailed.code), "closed: document unavailable");
      expect(broken.provider.isSynced).toBe(false);
    } finally {
      await sql`alter table docs_updates_away rename to docs_updates`.execute(server.kernel.db);
    }
    const after = await db.selectFrom("docs_states").select("state").where("doc_id", "=", id).executeTakeFirstOrThrow();
    expect(Buffer.from(after.state).equals(Buffer.from(before.state))).toBe(true);
    broken.destroy();
    const fresh = connect(id, { cookies: alice });
    await synced(fresh, "fresh");
    expect(fresh.text.toString()).toBe("Contenu précieux");
  });

  it("relays an update before it is logged, and acknowledges only what is logged", async () => {
    const id = await newDocument(alice, aliceRoot, "Journal.ensdoc");
    const a = connect(id, { cookies: alice });
    const b = connect(id, { cookies: alice });
    await Promise.all([synced(a, "a"), synced(b, "b")]);
    a.text.insert(0, "Écrit");
    await waitFor(() => a.acked() === "Écrit", "first edit acknowledged");
    await sql`alter table docs_updates rename to docs_updates_away`.execute(server.kernel.db);
    try {
      a.text.insert(5, " puis relayé");
      // The other editor sees it although the log cannot take it…
      await waitFor(() => b.text.toString() === "Écrit puis relayé", "relayed to b");
      // …and its sender is never told it is safe: its socket closes instead.
      await waitFor(() => a.closes.includes(DocsCloseCodes.storeFailed.code), "a closed: changes not stored");
      expect(a.acked()).toBe("Écrit");
    } finally {
      await sql`alter table docs_updates_away rename to docs_updates`.execute(server.kernel.db);
    }
    // The change stayed in the server's memory; the next store keeps it.
    await waitFor(async () => (await storedText(id)) === "Écrit puis relayé", "stored by the next compaction");
  });

  it("exports what the editor wrote as Markdown and HTML, to those who may read it", async () => {
    const id = await newDocument(alice, aliceRoot, "Procédure.ensdoc");
    const a = connect(id, { cookies: alice });
    await synced(a, "a");
    // The shape TipTap's Collaboration writes: ProseMirror nodes as XML elements, marks as text attributes.
    const body = a.doc.getXmlFragment("body");
    const heading = new Y.XmlElement("heading");
    heading.setAttribute("level", 1 as unknown as string);
    heading.insert(0, [new Y.XmlText("Ouverture <du> local")]);
    const para = new Y.XmlElement("paragraph");
    const run = new Y.XmlText();
    para.insert(0, [run]);
    const list = new Y.XmlElement("taskList");
    const item = new Y.XmlElement("taskItem");
    item.setAttribute("checked", true as unknown as string);
    const itemPara = new Y.XmlElement("paragraph");
    itemPara.insert(0, [new Y.XmlText("Clés")]);
    item.insert(0, [itemPara]);
    list.insert(0, [item]);
    body.insert(0, [heading, para, list]);
    run.insert(0, "Voir ");
    run.insert(5, "le guide", { link: { href: "https://example.org/guide" }, bold: true });
    await waitFor(() => !a.provider.hasUnsyncedChanges, "acknowledged");
    const md = await alice.get(`/api/docs/${id}/export?format=md`);
    expect(md.status).toBe(200);
    expect(md.headers.get("content-disposition")).toContain("attachment");
    expect(md.text).toBe(
      "# Ouverture \\<du\\> local\n\nVoir [**le guide**](https://example.org/guide)\n\n- [x] Clés\n",
    );
    const html = await alice.get(`/api/docs/${id}/export?format=html`);
    expect(html.text).toContain("<h1>Ouverture &lt;du&gt; local</h1>");
    expect(html.text).toContain('<p>Voir <a href="https://example.org/guide"><strong>le guide</strong></a></p>');
    expect(html.text).toContain('<li data-type="taskItem" data-checked="true"><p>Clés</p></li>');
    const { client: stranger } = await server.signedIn();
    expect((await stranger.get(`/api/docs/${id}/export?format=md`)).status).toBe(404);
  });

  it("refuses a file that is not a document, and an upgrade without credentials", async () => {
    const r = await alice.request<{ id: string }>(
      "PUT",
      `/api/files/nodes/${aliceRoot}/files?name=note.txt`,
      undefined,
      {
        raw: Buffer.from("texte"),
        headers: { "content-type": "text/plain" },
      },
    );
    const c = connect(r.body.id, { cookies: alice });
    await waitFor(() => c.denied.includes("permission-denied"), "not a document");
    const anonymous = connect(r.body.id, {});
    await waitFor(() => anonymous.closes.includes(4001), "unauthenticated");
  });
});
