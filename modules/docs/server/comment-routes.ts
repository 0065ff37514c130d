import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type * as Y from "yjs";
import { uuidv7 } from "@ensemble/protocol";
import { AppError, route, type Kernel, type UserActor } from "@ensemble/kernel";
import { createThreadBody, replyBody, threadListSchema, threadSchema, type DocThread } from "../shared/comments.ts";
import { isDocumentName } from "../shared/documents.ts";
import { documentAccess, type DocumentAccess } from "./access.ts";
import { checkAnchors, coveredText } from "./anchors.ts";
import type { CollabServer } from "./collab.ts";
import { DocumentStore } from "./persistence.ts";
import { docsDb, type DocsThreadsTable } from "./tables.ts";
import { docFromState } from "./versions.ts";

const idParams = z.object({ id: z.uuid() });
const threadParams = z.object({ id: z.uuid(), threadId: z.uuid() });
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

/**
 * Comments on ranges of a document: threads anchored by Yjs relative
 * positions (they follow their words through everyone's edits), replies,
 * resolve and reopen. Whoever may read the document comments (a reviewer
 * with a read-only share included); a thread is resolved or reopened by the
 * document's writers and by whoever opened it. Open editors hear of each
 * change on the co-editing socket (a stateless message) and fetch again.
 */
export function commentRoutes(app: FastifyInstance, k: Kernel, collab: CollabServer): void {
  const db = docsDb(k);
  const store = new DocumentStore(db);
  const tags = ["docs"];

  async function access(actor: UserActor, docId: string): Promise<Exclude<DocumentAccess, null>> {
    const a = await documentAccess(k, actor, docId, isDocumentName);
    if (a === null) throw new AppError("not_found", "no such document");
    return a;
  }
  const current = async (docId: string) => docFromState(await store.load(docId));

  async function present(
    rows: DocsThreadsTable[],
    doc: Y.Doc,
    actor: UserActor,
    level: "read" | "write",
  ): Promise<DocThread[]> {
    if (rows.length === 0) return [];
    const comments = await db
      .selectFrom("docs_comments")
      .selectAll()
      .where(
        "thread_id",
        "in",
        rows.map((r) => r.id),
      )
      .orderBy("id")
      .execute();
    const people = [...new Set([...rows.map((r) => r.resolved_by), ...comments.map((c) => c.author_id)])].filter(
      (id): id is string => id !== null,
    );
    const names = new Map(
      (await db.selectFrom("users").select(["id", "display_name"]).where("id", "in", people).execute()).map((u) => [
        u.id,
        u.display_name,
      ]),
    );
    const person = (id: string) => ({ id, displayName: names.get(id) ?? "" });
    return rows.map((r) => ({
      id: r.id,
      anchor: { start: b64(r.anchor_start), end: b64(r.anchor_end) },
      quote: r.quote,
      covered: coveredText(doc, new Uint8Array(r.anchor_start), new Uint8Array(r.anchor_end)),
      resolved: r.resolved_at && r.resolved_by ? { at: r.resolved_at, by: person(r.resolved_by) } : null,
      comments: comments
        .filter((c) => c.thread_id === r.id)
        .map((c) => ({ id: c.id, author: person(c.author_id), text: c.text, createdAt: c.created_at })),
      actions: { reply: true, resolve: level === "write" || r.author_id === actor.id },
    }));
  }

  async function thread(docId: string, threadId: string): Promise<DocsThreadsTable> {
    const t = await db
      .selectFrom("docs_threads")
      .selectAll()
      .where("doc_id", "=", docId)
      .where("id", "=", threadId)
      .executeTakeFirst();
    if (!t) throw new AppError("not_found", "no such thread");
    return t;
  }
  async function presentOne(docId: string, threadId: string, actor: UserActor, level: "read" | "write") {
    const [t] = await present([await thread(docId, threadId)], await current(docId), actor, level);
    if (!t) throw new AppError("not_found", "no such thread");
    return t;
  }

  route(app, {
    method: "GET",
    url: "/api/docs/:id/threads",
    summary: "A document's comment threads, in the order they were opened, with the words each covers now",
    tags,
    auth: "user",
    params: idParams,
    response: threadListSchema,
    handler: async ({ actor, params }) => {
      const level = await access(actor, params.id);
      const rows = await db
        .selectFrom("docs_threads")
        .selectAll()
        .where("doc_id", "=", params.id)
        .orderBy("id")
        .limit(500)
        .execute();
      return { items: await present(rows, await current(params.id), actor, level), allowed: { comment: true } };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/docs/:id/threads",
    summary: "Comment on a range of the text (a new thread)",
    tags,
    auth: "user",
    params: idParams,
    body: createThreadBody,
    response: threadSchema,
    status: 201,
    idempotent: true,
    handler: async ({ actor, params, body }) => {
      const level = await access(actor, params.id);
      const anchors = checkAnchors(await current(params.id), body.anchor.start, body.anchor.end);
      const id = uuidv7();
      const now = new Date().toISOString();
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto("docs_threads")
          .values({
            id,
            doc_id: params.id,
            anchor_start: anchors.start,
            anchor_end: anchors.end,
            quote: body.quote,
            author_id: actor.id,
            created_at: now,
            resolved_at: null,
            resolved_by: null,
          })
          .execute();
        await tx
          .insertInto("docs_comments")
          .values({ id: uuidv7(), thread_id: id, author_id: actor.id, text: body.text, created_at: now })
          .execute();
      });
      collab.announce(params.id);
      return presentOne(params.id, id, actor, level);
    },
  });

  route(app, {
    method: "POST",
    url: "/api/docs/:id/threads/:threadId/comments",
    summary: "Answer a comment thread",
    tags,
    auth: "user",
    params: threadParams,
    body: replyBody,
    response: threadSchema,
    status: 201,
    idempotent: true,
    handler: async ({ actor, params, body }) => {
      const level = await access(actor, params.id);
      const t = await thread(params.id, params.threadId);
      await db
        .insertInto("docs_comments")
        .values({
          id: uuidv7(),
          thread_id: t.id,
          author_id: actor.id,
          text: body.text,
          created_at: new Date().toISOString(),
        })
        .execute();
      collab.announce(params.id);
      return presentOne(params.id, t.id, actor, level);
    },
  });

  for (const verb of ["resolve", "reopen"] as const)
    route(app, {
      method: "POST",
      url: `/api/docs/:id/threads/:threadId/${verb}`,
      summary: verb === "resolve" ? "Resolve a comment thread" : "Reopen a resolved comment thread",
      tags,
      auth: "user",
      params: threadParams,
      response: threadSchema,
      handler: async ({ actor, params }) => {
        const level = await access(actor, params.id);
        const t = await thread(params.id, params.threadId);
        if (level !== "write" && t.author_id !== actor.id)
          throw new AppError("forbidden", "only the document's writers and the thread's author resolve it");
        const resolved = verb === "resolve";
        await db
          .updateTable("docs_threads")
          .set({ resolved_at: resolved ? new Date().toISOString() : null, resolved_by: resolved ? actor.id : null })
          .where("id", "=", t.id)
          .execute();
        collab.announce(params.id);
        return presentOne(params.id, t.id, actor, level);
      },
    });
}
