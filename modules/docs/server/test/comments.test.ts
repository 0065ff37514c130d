import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";
import { COMMENTS_CHANGED, type DocThread, type ThreadList } from "../../shared/comments.ts";
import { acknowledged, clientPool, newDocument, personalRoot, synced, type CollabClient } from "./collab-clients.ts";

let server: TestServer;
let alice: TestClient;
let aliceRoot: string;
const { connect, closeAll } = clientPool(() => server.url);
const b64 = (rel: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(rel)).toString("base64");

/** A document with one paragraph, and its text node (as TipTap's Collaboration writes it). */
async function withParagraph(name: string, words: string) {
  const id = await newDocument(alice, aliceRoot, name);
  const a = connect(id, { cookies: alice });
  await synced(a, "a");
  const p = new Y.XmlElement("paragraph");
  const text = new Y.XmlText(words);
  p.insert(0, [text]);
  a.doc.getXmlFragment("body").insert(0, [p]);
  await acknowledged(a);
  return { id, a, text };
}
/** The words between two anchors in a client's copy of the document. */
function wordsAt(c: CollabClient, thread: DocThread): string | null {
  const [s, e] = [thread.anchor.start, thread.anchor.end].map((x) =>
    Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(x, "base64")), c.doc),
  );
  if (!s || !e || s.type !== e.type) return null;
  return (s.type as Y.XmlText).toString().slice(s.index, e.index);
}

beforeAll(async () => {
  server = await startTestServer({ env: { COLLAB_STORE_DEBOUNCE_MS: "50" } });
  ({ client: alice } = await server.signedIn({ displayName: "Alice Martin" }));
  aliceRoot = await personalRoot(alice);
});
afterEach(closeAll);
afterAll(async () => {
  await server?.close();
});

describe("comments on a document's text", () => {
  it("a thread keeps covering the same words while two people edit around them", async () => {
    const { id, a, text } = await withParagraph("Conseil.ensdoc", "Le conseil vote le budget");
    const b = connect(id, { cookies: alice });
    await synced(b, "b");
    const heard: string[] = [];
    b.provider.on("stateless", ({ payload }: { payload: string }) => heard.push(payload));

    const start = Y.createRelativePositionFromTypeIndex(text, 11);
    // The end sticks to the last commented character (assoc -1), so words typed right after it stay outside.
    const end = Y.createRelativePositionFromTypeIndex(text, 25, -1);
    const created = await alice.post<DocThread>(`/api/docs/${id}/threads`, {
      anchor: { start: b64(start), end: b64(end) },
      quote: "vote le budget",
      text: "Quel montant ?",
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      quote: "vote le budget",
      covered: "vote le budget",
      resolved: null,
      comments: [{ text: "Quel montant ?", author: { displayName: "Alice Martin" } }],
    });
    await waitFor(() => heard.includes(COMMENTS_CHANGED), "the other editor hears of the comment");

    // At once: b writes before the range, a after it; and inside the paragraph's start.
    const bText = (b.doc.getXmlFragment("body").get(0) as Y.XmlElement).get(0) as Y.XmlText;
    bText.insert(0, "Demain, ");
    text.insert(text.length, " annuel");
    const final = "Demain, Le conseil vote le budget annuel";
    await waitFor(() => text.toString() === final && bText.toString() === final, "both converge");
    await Promise.all([acknowledged(a), acknowledged(b)]);

    const list = await alice.get<ThreadList>(`/api/docs/${id}/threads`);
    const [thread] = list.body.items;
    expect(thread?.covered).toBe("vote le budget");
    for (const c of [a, b]) expect(wordsAt(c, thread!)).toBe("vote le budget");
  });

  it("answers, resolves and reopens a thread; a reader comments but resolves only their own", async () => {
    const { id, text } = await withParagraph("Relecture.ensdoc", "Texte à relire");
    const { client: reader, user } = await server.signedIn({ displayName: "Rémi Lecteur" });
    const share = await alice.post(`/api/files/nodes/${id}/shares`, {
      recipient: { kind: "user", id: user.id },
      permission: "read",
    });
    expect(share.status, share.text).toBe(201);
    const anchor = {
      start: b64(Y.createRelativePositionFromTypeIndex(text, 0)),
      end: b64(Y.createRelativePositionFromTypeIndex(text, 5, -1)),
    };
    const mine = await alice.post<DocThread>(`/api/docs/${id}/threads`, { anchor, quote: "Texte", text: "À revoir" });
    const reply = await reader.post<DocThread>(`/api/docs/${id}/threads/${mine.body.id}/comments`, {
      text: "D'accord",
    });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body.comments.map((c) => [c.author.displayName, c.text])).toEqual([
      ["Alice Martin", "À revoir"],
      ["Rémi Lecteur", "D'accord"],
    ]);
    expect(reply.body.actions).toEqual({ reply: true, resolve: false });
    expect((await reader.post(`/api/docs/${id}/threads/${mine.body.id}/resolve`, {})).status).toBe(403);

    const resolved = await alice.post<DocThread>(`/api/docs/${id}/threads/${mine.body.id}/resolve`, {});
    expect(resolved.status).toBe(200);
    expect(resolved.body.resolved?.by.displayName).toBe("Alice Martin");
    const reopened = await alice.post<DocThread>(`/api/docs/${id}/threads/${mine.body.id}/reopen`, {});
    expect(reopened.body.resolved).toBeNull();

    const theirs = await reader.post<DocThread>(`/api/docs/${id}/threads`, { anchor, quote: "Texte", text: "Typo ?" });
    expect(theirs.status).toBe(201);
    expect((await reader.post(`/api/docs/${id}/threads/${theirs.body.id}/resolve`, {})).status).toBe(200);
  });

  it("refuses strangers (404) and anchors that are not in the document (problem+json, nothing stored)", async () => {
    const { id, text } = await withParagraph("Privé.ensdoc", "Secret");
    const anchor = {
      start: b64(Y.createRelativePositionFromTypeIndex(text, 0)),
      end: b64(Y.createRelativePositionFromTypeIndex(text, 6, -1)),
    };
    const { client: stranger } = await server.signedIn();
    expect((await stranger.get(`/api/docs/${id}/threads`)).status).toBe(404);
    expect((await stranger.post(`/api/docs/${id}/threads`, { anchor, quote: "Secret", text: "x" })).status).toBe(404);

    const elsewhere = new Y.Doc();
    const foreign = elsewhere.getText("t");
    foreign.insert(0, "ailleurs");
    const bad = [
      { start: "not base64!", end: anchor.end },
      { start: Buffer.from([255, 255, 255]).toString("base64"), end: anchor.end },
      { start: b64(Y.createRelativePositionFromTypeIndex(foreign, 1)), end: anchor.end },
    ];
    for (const a of bad) {
      const r = await alice.post<{ code: string }>(`/api/docs/${id}/threads`, { anchor: a, quote: "", text: "x" });
      expect(r.status, JSON.stringify(a)).toBe(400);
      expect(r.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await alice.post(`/api/docs/${id}/threads`, { anchor, quote: "Secret", text: "  " })).status).toBe(400);
    expect((await alice.get<ThreadList>(`/api/docs/${id}/threads`)).body.items).toEqual([]);
  });
});
