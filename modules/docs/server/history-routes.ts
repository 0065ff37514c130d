import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AppError, route, type Kernel, type UserActor } from "@ensemble/kernel";
import {
  createVersionBody,
  versionContentSchema,
  versionDiffSchema,
  versionListSchema,
  versionSchema,
} from "../shared/history.ts";
import { isDocumentName } from "../shared/documents.ts";
import { documentAccess, type DocumentAccess } from "./access.ts";
import type { CollabServer } from "./collab.ts";
import { toMarkdown } from "./export.ts";
import { diffLines } from "./line-diff.ts";
import { plainLines } from "./plain-lines.ts";
import { DocumentStore } from "./persistence.ts";
import { docsDb } from "./tables.ts";
import { docFromState, presentVersion, VersionStore } from "./versions.ts";

const idParams = z.object({ id: z.uuid() });
const versionParams = z.object({ id: z.uuid(), versionId: z.uuid() });

/**
 * A document's history: list, name a version, view one, compare it with the
 * current text, restore it. Readers look; writers name and restore. A
 * document the person may not read is 404, as the file is.
 */
export function historyRoutes(app: FastifyInstance, k: Kernel, collab: CollabServer): void {
  const db = docsDb(k);
  const store = new DocumentStore(db);
  const versions = new VersionStore(db);
  const tags = ["docs"];

  async function access(actor: UserActor, docId: string, need: "read" | "write"): Promise<DocumentAccess> {
    const a = await documentAccess(k, actor, docId, isDocumentName);
    if (a === null) throw new AppError("not_found", "no such document");
    if (need === "write" && a !== "write") throw new AppError("forbidden", "this document is read-only for you");
    return a;
  }
  async function version(docId: string, versionId: string) {
    const v = await versions.find(docId, versionId);
    if (!v) throw new AppError("not_found", "no such version");
    return v;
  }
  /** Every acknowledged change (the log is written before the acknowledgement), on whichever node it was made. */
  const current = async (docId: string) => docFromState(await store.load(docId));

  route(app, {
    method: "GET",
    url: "/api/docs/:id/versions",
    summary: "A document's versions, newest first",
    tags,
    auth: "user",
    params: idParams,
    response: versionListSchema,
    handler: async ({ actor, params }) => {
      const writer = (await access(actor, params.id, "read")) === "write";
      const rows = await versions.list(params.id);
      return { items: rows.map(presentVersion), allowed: { name: writer, restore: writer } };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/docs/:id/versions",
    summary: "Keep the current text as a named version",
    tags,
    auth: "user",
    params: idParams,
    body: createVersionBody,
    response: versionSchema,
    status: 201,
    idempotent: true,
    handler: async ({ actor, params, body }) => {
      await access(actor, params.id, "write");
      const state = (await store.load(params.id)) ?? new Uint8Array([0, 0]);
      return presentVersion(
        await versions.add(params.id, { kind: "named", name: body.name, state, authorId: actor.id }),
      );
    },
  });

  route(app, {
    method: "GET",
    url: "/api/docs/:id/versions/:versionId",
    summary: "A version's text: Markdown, and its Yjs state (base64) for a read-only editor",
    tags,
    auth: "user",
    params: versionParams,
    response: versionContentSchema,
    handler: async ({ actor, params }) => {
      await access(actor, params.id, "read");
      const v = await version(params.id, params.versionId);
      const state = await versions.state(v.id);
      return {
        version: presentVersion(v),
        markdown: toMarkdown(docFromState(state)),
        state: Buffer.from(state).toString("base64"),
      };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/docs/:id/versions/:versionId/compare",
    summary: "A version compared with the current text, block by block",
    tags,
    auth: "user",
    params: versionParams,
    response: versionDiffSchema,
    handler: async ({ actor, params }) => {
      await access(actor, params.id, "read");
      const v = await version(params.id, params.versionId);
      const then = plainLines(docFromState(await versions.state(v.id)));
      const now = plainLines(await current(params.id));
      return { version: presentVersion(v), lines: diffLines(then, now) };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/docs/:id/versions/:versionId/restore",
    summary: "Restore a version: its text replaces the current one, as a new change every editor receives",
    tags,
    auth: "user",
    params: versionParams,
    response: z.object({ restored: versionSchema, kept: versionSchema }),
    handler: async ({ actor, params }) => {
      await access(actor, params.id, "write");
      const v = await version(params.id, params.versionId);
      // The text being replaced stays in the history, so a restore is itself undone by restoring.
      const before = (await store.load(params.id)) ?? new Uint8Array([0, 0]);
      const kept = await versions.add(params.id, { kind: "before-restore", state: before, authorId: actor.id });
      await collab.replaceBody(params.id, await versions.state(v.id));
      return { restored: presentVersion(v), kept: presentVersion(kept) };
    },
  });
}
