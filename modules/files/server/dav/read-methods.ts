import { createHash } from "node:crypto";
import { AppError } from "@ensemble/kernel";
import { quotaOf } from "../spaces.ts";
import { childrenOf, getNode, type Node } from "../tree.ts";
import { contentKey } from "../contents.ts";
import { activeLocks } from "./locks.ts";
import { header, hrefOf, permissionsFor, target, xmlBody, type Dav } from "./context.ts";
import { mountsOf } from "./mounts.ts";
import { httpDate, loadPropData, responseXml, type Entry } from "./props.ts";
import { DAV, elements, is, MULTISTATUS_CLOSE, MULTISTATUS_OPEN, type PropName } from "./xml.ts";

export const DAV_METHODS = [
  "OPTIONS",
  "GET",
  "HEAD",
  "PUT",
  "DELETE",
  "MKCOL",
  "COPY",
  "MOVE",
  "PROPFIND",
  "PROPPATCH",
  "LOCK",
  "UNLOCK",
] as const;

export function options(d: Dav): void {
  void d.reply
    .code(200)
    .header("dav", "1, 2, 3")
    .header("ms-author-via", "DAV")
    .header("allow", DAV_METHODS.join(", "))
    .header("accept-ranges", "bytes")
    .header("content-length", "0")
    .send();
}

const etag = (n: Node) => `"${n.etag}"`;
const matches = (h: string, n: Node) =>
  h.split(",").some((t) => t.trim() === "*" || t.trim().replace(/^W\//, "") === etag(n));

/** One `bytes=` range; null for none (or a form we serve whole), "unsatisfiable" beyond the end. */
function range(h: string | undefined, size: number): { start: number; end: number } | null | "unsatisfiable" {
  const m = h ? /^bytes=(\d*)-(\d*)$/.exec(h.trim()) : null;
  if (!m || (m[1] === "" && m[2] === "")) return null;
  const start = m[1] === "" ? Math.max(0, size - Number(m[2])) : Number(m[1]);
  const end = m[1] === "" || m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || start > end) return "unsatisfiable";
  return { start, end };
}

/** GET and HEAD of a file: streamed, with validators, conditional requests and one byte range. */
export async function getFile(d: Dav, head: boolean): Promise<void> {
  const { node } = await target(d);
  if (!node) throw new AppError("not_found", "no such file");
  if (node.kind === "folder") {
    void d.reply.code(200).header("content-type", "text/plain; charset=utf-8").header("content-length", "0").send();
    return;
  }
  const r = d.reply;
  r.header("etag", etag(node))
    .header("last-modified", httpDate(node.mtime))
    .header("accept-ranges", "bytes")
    .header("oc-etag", etag(node))
    .header("x-content-type-options", "nosniff")
    .header("content-security-policy", "default-src 'none'; sandbox")
    .header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(node.name)}`);
  const ifMatch = header(d, "if-match");
  if (ifMatch && !matches(ifMatch, node)) throw new AppError("files_precondition_failed", "If-Match does not hold");
  const ius = header(d, "if-unmodified-since");
  if (ius && Date.parse(ius) < Math.floor(Date.parse(node.mtime) / 1000) * 1000)
    throw new AppError("files_precondition_failed", "modified since");
  const inm = header(d, "if-none-match");
  const ims = header(d, "if-modified-since");
  if (
    (inm && matches(inm, node)) ||
    (!inm && ims && Date.parse(ims) >= Math.floor(Date.parse(node.mtime) / 1000) * 1000)
  ) {
    void r.code(304).send();
    return;
  }
  const size = node.size;
  const ifRange = header(d, "if-range");
  const wanted = ifRange && ifRange !== etag(node) ? null : range(header(d, "range"), size);
  if (wanted === "unsatisfiable")
    throw new AppError("range_not_satisfiable", "the range is outside the file", {
      headers: { "content-range": `bytes */${size}` },
    });
  r.header("content-type", node.mime_type ?? "application/octet-stream");
  if (wanted) r.code(206).header("content-range", `bytes ${wanted.start}-${wanted.end}/${size}`);
  const length = wanted ? wanted.end - wanted.start + 1 : size;
  r.header("content-length", String(length));
  if (head || length === 0) {
    void r.send();
    return;
  }
  const stream = node.content_id ? await d.k.blobs.get(contentKey(node.content_id), wanted ?? undefined) : null;
  if (!stream) throw new AppError("internal", `content of ${node.id} is missing`);
  void r.send(stream);
}

function requested(body: ReturnType<typeof elements>[number] | null): PropName[] | null | "names" {
  if (!body) return null;
  if (!is(body, DAV, "propfind")) throw new AppError("validation", "the body must be a DAV:propfind");
  const [first] = elements(body);
  if (!first || is(first, DAV, "allprop")) return null;
  if (is(first, DAV, "propname")) return "names";
  if (is(first, DAV, "prop"))
    return elements(first).map((e) => ({ ns: e.namespaceURI ?? "", name: e.localName ?? "" }));
  throw new AppError("validation", "a propfind holds prop, allprop or propname");
}

/** PROPFIND at depth 0 or 1 (infinity is refused: one request never walks a whole tree). */
export async function propfind(d: Dav): Promise<void> {
  const depth = (header(d, "depth") ?? "infinity").toLowerCase();
  if (depth !== "0" && depth !== "1")
    throw new AppError("files_depth_refused", "PROPFIND takes Depth 0 or 1; infinity is refused");
  const props = requested(await xmlBody(d.req));
  const { node } = await target(d);
  if (!node) throw new AppError("not_found", "no such file or folder");
  const selfHref = hrefOf(d.base, d.names, node.kind === "folder");
  const entries: Entry[] = [{ node, href: selfHref, path: d.path }];
  if (depth === "1" && node.kind === "folder")
    for (const c of await childrenOf(d.db, node.id))
      entries.push({
        node: c,
        href: hrefOf(d.base, [...d.names, c.name], c.kind === "folder"),
        path: d.path ? `${d.path}/${c.name}` : c.name,
      });
  // The root of « Mes fichiers » also lists the group folders and shares mounted in it, and its ETag
  // covers them: a sync client walking down by ETags finds a new, renamed, changed or revoked mount.
  const atRoot = d.names.length === 0 && d.share === null && d.space.kind === "user";
  const spaceSizes = new Map<string, number>();
  if (atRoot) {
    const seal = createHash("sha1").update(node.etag);
    let sealed = false;
    for (const m of await mountsOf(d.k, d.actor, d.space)) {
      const n = await getNode(d.db, m.rootId);
      if (!n) continue;
      seal.update(`\n${m.rootId}/${m.name}/${n.etag}/${m.share?.level ?? ""}`);
      sealed = true;
      if (depth !== "1") continue;
      const permissions = permissionsFor({ space: m.space, share: m.share, root: m.rootId })(n);
      if (n.parent_id === null) spaceSizes.set(n.id, Number(m.space.used_bytes));
      entries.push({ node: n, href: hrefOf(d.base, [m.name], n.kind === "folder"), path: m.name, permissions });
    }
    // Without mounts the root's own ETag stands, as before.
    if (sealed) entries[0] = { ...entries[0]!, node: { ...node, etag: seal.digest("hex") } };
  }
  const quota = await quotaOf(d.k, d.space);
  const used = Number(d.space.used_bytes);
  const ctx = {
    ...(await loadPropData(d.db, entries)),
    quota: { used, available: Math.max(0, quota - used) },
    locks: await activeLocks(d.db, d.space.id),
    permissions: permissionsFor(d),
  };
  if (node.parent_id === null) ctx.folderSizes.set(node.id, used);
  for (const [id, size] of spaceSizes) ctx.folderSizes.set(id, size);
  let xml = MULTISTATUS_OPEN;
  for (const e of entries) xml += responseXml(e, props, ctx);
  xml += MULTISTATUS_CLOSE;
  void d.reply.code(207).header("content-type", "application/xml; charset=utf-8").send(xml);
}
