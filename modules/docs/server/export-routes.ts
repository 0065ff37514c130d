import type { FastifyInstance } from "fastify";
import { z } from "zod";
import * as Y from "yjs";
import { AppError, rawResponse, route, type Kernel } from "@ensemble/kernel";
import { documentAccess } from "./access.ts";
import { toHtml, toMarkdown } from "./export.ts";
import { DocumentStore } from "./persistence.ts";
import { docsDb } from "./tables.ts";

const formats = {
  md: { type: "text/markdown; charset=utf-8", render: toMarkdown, wrap: (s: string) => s },
  html: {
    type: "text/html; charset=utf-8",
    render: toHtml,
    wrap: (s: string) => `<!doctype html>\n<html><head><meta charset="utf-8"></head><body>\n${s}\n</body></html>\n`,
  },
} as const;

/** Export of a document as Markdown or HTML (an attachment), from every change the server acknowledged. */
export function exportRoutes(app: FastifyInstance, k: Kernel): void {
  const store = new DocumentStore(docsDb(k));
  route(app, {
    method: "GET",
    url: "/api/docs/:id/export",
    summary: "Download a document as Markdown or HTML",
    tags: ["docs"],
    auth: "user",
    params: z.object({ id: z.uuid() }),
    query: z.object({ format: z.enum(["md", "html"]) }),
    response: rawResponse("text/markdown", "The document in the asked format"),
    handler: async ({ actor, params, query, reply }) => {
      if ((await documentAccess(k, actor, params.id)) === null) throw new AppError("not_found", "no such document");
      // Every acknowledged update is in the store (the log is written before the acknowledgement).
      const doc = new Y.Doc();
      const state = await store.load(params.id);
      if (state) Y.applyUpdate(doc, state);
      const f = formats[query.format];
      return reply
        .header("content-type", f.type)
        .header("content-disposition", `attachment; filename="document.${query.format}"`)
        .header("content-security-policy", "default-src 'none'; sandbox")
        .send(f.wrap(f.render(doc)));
    },
  });
}
