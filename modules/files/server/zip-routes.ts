import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { ZipFile } from "yazl";
import { AppError, rawResponse, route, type Kernel, type UserActor } from "@ensemble/kernel";
import { contentKey } from "./contents.ts";
import { FilesNodeResource } from "./resources.ts";
import { filesDb } from "./tables.ts";
import { childrenOf, loadNodeRecord, type Node } from "./tree.ts";

/** More entries than this in one archive is refused (the walk holds each entry's name in memory). */
export const MAX_ZIP_ENTRIES = 50_000;

interface Entry {
  path: string;
  node: Node;
}

const uniqueIn = (taken: Set<string>, name: string): string => {
  const dot = name.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  let n = name;
  for (let i = 2; taken.has(n); i++) n = `${stem} (${i})${ext}`;
  taken.add(n);
  return n;
};

/**
 * What goes in the archive: each selected node, a folder with its live contents (the trash
 * excluded). Reading a folder is reading what lies below it (the space's people, or a share on it
 * or above), so authorizing the selected nodes authorizes every entry; nothing else is reached.
 */
async function entriesOf(
  k: Kernel,
  actor: UserActor,
  ids: readonly string[],
): Promise<{ entries: Entry[]; title: string }> {
  const db = filesDb(k);
  const out: Entry[] = [];
  const add = (e: Entry) => {
    if (out.length >= MAX_ZIP_ENTRIES)
      throw new AppError("payload_too_large", `an archive holds at most ${MAX_ZIP_ENTRIES} entries`);
    out.push(e);
  };
  const walk = async (folder: Node, prefix: string): Promise<void> => {
    for (const child of await childrenOf(db, folder.id)) {
      add({ path: `${prefix}${child.name}`, node: child });
      if (child.kind === "folder") await walk(child, `${prefix}${child.name}/`);
    }
  };
  const top = new Set<string>();
  // One folder is named after itself (a space's root after the space); anything else after the service.
  let title = "Partageons";
  for (const id of ids) {
    const rec = await k.policy.authorize(actor, FilesNodeResource, "read", await loadNodeRecord(db, actor, id));
    if (rec.trashed) throw new AppError("not_found", "this is in the trash");
    if (ids.length === 1 && rec.kind === "folder") title = rec.parent_id === null ? rec.space.name : rec.name;
    // A space's root has no name of its own: its contents go at the top of the archive.
    if (rec.parent_id === null) {
      await walk(rec, "");
      continue;
    }
    const name = uniqueIn(top, rec.name);
    add({ path: name, node: rec });
    if (rec.kind === "folder") await walk(rec, `${name}/`);
  }
  return { entries: out, title };
}

/**
 * A folder, or a selection of files and folders, downloaded as one ZIP archive, streamed: entries
 * are written as the archive is read, each file's bytes opened from the blob store only when its
 * turn comes, so memory stays flat whatever the size (no Content-Length: it is not known ahead).
 */
export function zipRoutes(app: FastifyInstance, k: Kernel): void {
  route(app, {
    method: "GET",
    url: "/api/files/zip",
    summary: "Download files and folders as one ZIP archive (ids: one or more node ids, comma-separated)",
    tags: ["files"],
    auth: "user",
    query: z.object({
      ids: z
        .string()
        .max(37 * 1000)
        .transform((s) => [...new Set(s.split(","))])
        .pipe(z.array(z.uuid()).min(1).max(1000)),
    }),
    response: rawResponse("application/zip", "The archive, streamed"),
    handler: async ({ actor, query, reply }) => {
      const { entries, title } = await entriesOf(k, actor, query.ids);
      const zip = new ZipFile();
      for (const { path, node } of entries) {
        const mtime = new Date(node.mtime);
        if (node.kind === "folder") zip.addEmptyDirectory(path, { mtime });
        else if (node.content_id) {
          const key = contentKey(node.content_id);
          zip.addReadStreamLazy(path, { mtime, size: node.size }, (cb) => {
            // yazl's callback takes a stream even with an error: an empty one, never read.
            const fail = (e: Error) => cb(e, Readable.from([]));
            k.blobs.get(key).then((s) => (s ? cb(null, s) : fail(new Error(`content of ${node.id} is missing`))), fail);
          });
        }
      }
      zip.end();
      const name = `${title}.zip`;
      return reply
        .header("content-type", "application/zip")
        .header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
        .header("content-security-policy", "default-src 'none'; sandbox")
        .send(zip.outputStream);
    },
  });
}
