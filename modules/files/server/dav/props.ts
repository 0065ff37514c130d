import { sql } from "kysely";
import type { FilesDb } from "../tables.ts";
import type { Node } from "../tree.ts";
import { activeLockXml, covering, SUPPORTED_LOCK, type Lock } from "./locks.ts";
import { DAV, escapeXml, NC, OC, propElement, statusLine, type PropName } from "./xml.ts";

/** One resource of a PROPFIND answer. */
export interface Entry {
  node: Node;
  href: string;
  /** Its path in the space (names joined by "/"), which locks are keyed by. */
  path: string;
  /** `oc:permissions` when it is not the view's (a group folder or share listed at the root). */
  permissions?: string;
}

/** What live properties need beyond the node: checksums, quota, locks, permissions. */
export interface PropContext {
  checksums: Map<string, { sha256: string; sha1: string; md5: string }>;
  dead: Map<string, { ns: string; name: string; value: string }[]>;
  folderSizes: Map<string, number>;
  quota: { used: number; available: number };
  locks: readonly Lock[];
  permissions: (n: Node) => string;
}

/** The DAV: properties `allprop` answers (RFC 4918 §14.2), and the ones every client reads. */
const ALLPROP: PropName[] = [
  "resourcetype",
  "getcontentlength",
  "getcontenttype",
  "getetag",
  "getlastmodified",
  "creationdate",
  "lockdiscovery",
  "supportedlock",
].map((name) => ({ ns: DAV, name }));

const LIVE_DAV = new Set([...ALLPROP.map((p) => p.name), "quota-used-bytes", "quota-available-bytes", "displayname"]);

export const isProtected = (p: PropName): boolean => p.ns === DAV;

const etagOf = (n: Node) => `"${n.etag}"`;
export const httpDate = (iso: string) => new Date(iso).toUTCString();

/** A live property's inner XML, or undefined when the resource has no such property. */
function live(n: Node, e: Entry, p: PropName, c: PropContext): string | undefined {
  const file = n.kind === "file";
  if (p.ns === DAV) {
    switch (p.name) {
      case "resourcetype":
        return file ? "" : "<d:collection/>";
      case "getcontentlength":
        return file ? String(n.size) : undefined;
      case "getcontenttype":
        return file ? escapeXml(n.mime_type ?? "application/octet-stream") : undefined;
      case "getetag":
        return escapeXml(etagOf(n));
      case "getlastmodified":
        return httpDate(n.mtime);
      case "creationdate":
        return n.created_at;
      case "displayname":
        return n.parent_id === null ? undefined : escapeXml(n.name);
      case "lockdiscovery":
        return covering(c.locks, e.path)
          .map((l) => activeLockXml(l, e.href))
          .join("");
      case "supportedlock":
        return SUPPORTED_LOCK;
      case "quota-used-bytes":
        return file ? undefined : String(c.quota.used);
      case "quota-available-bytes":
        return file ? undefined : String(c.quota.available);
    }
    return undefined;
  }
  if (p.ns === OC) {
    switch (p.name) {
      case "fileid":
        return n.id;
      case "id":
        return n.id;
      case "permissions":
        return e.permissions ?? c.permissions(n);
      case "size":
        return String(file ? n.size : (c.folderSizes.get(n.id) ?? 0));
      case "checksums": {
        const s = n.content_id ? c.checksums.get(n.content_id) : undefined;
        return s ? `<oc:checksum>SHA1:${s.sha1} MD5:${s.md5} SHA256:${s.sha256}</oc:checksum>` : undefined;
      }
    }
    return undefined;
  }
  if (p.ns === NC && p.name === "has-preview") return "false";
  return undefined;
}

const deadOf = (c: PropContext, n: Node, p: PropName) =>
  c.dead.get(n.id)?.find((d) => d.ns === p.ns && d.name === p.name)?.value;

function propstat(found: string[], code: number): string {
  return found.length
    ? `<d:propstat><d:prop>${found.join("")}</d:prop><d:status>${statusLine(code)}</d:status></d:propstat>`
    : "";
}

/** The `<d:response>` of one resource for a PROPFIND of `props` (null: allprop; "names": propname). */
export function responseXml(e: Entry, props: PropName[] | null | "names", c: PropContext): string {
  const n = e.node;
  const href = `<d:href>${escapeXml(e.href)}</d:href>`;
  if (props === "names") {
    const names = [...ALLPROP, ...(c.dead.get(n.id) ?? [])].filter(
      (p) => p.ns !== DAV || live(n, e, p, c) !== undefined,
    );
    return `<d:response>${href}${propstat(
      names.map((p) => propElement(p, null)),
      200,
    )}</d:response>`;
  }
  const ok: string[] = [];
  const missing: string[] = [];
  const wanted = props ?? [...ALLPROP, ...(c.dead.get(n.id) ?? []).map(({ ns, name }) => ({ ns, name }))];
  for (const p of wanted) {
    const v = live(n, e, p, c) ?? (LIVE_DAV.has(p.name) && p.ns === DAV ? undefined : deadOf(c, n, p));
    if (v !== undefined) ok.push(propElement(p, v));
    else if (props) missing.push(propElement(p, null));
  }
  return `<d:response>${href}${propstat(ok, 200)}${propstat(missing, 404)}</d:response>`;
}

/** Loads what the entries' properties need, in a few statements whatever their number. */
export async function loadPropData(
  db: FilesDb,
  entries: readonly Entry[],
): Promise<Pick<PropContext, "checksums" | "dead" | "folderSizes">> {
  const checksums: PropContext["checksums"] = new Map();
  const dead: PropContext["dead"] = new Map();
  const folderSizes: PropContext["folderSizes"] = new Map();
  const ids = entries.map((e) => e.node.id);
  const contentIds = entries.flatMap((e) => (e.node.content_id ? [e.node.content_id] : []));
  for (let i = 0; i < contentIds.length; i += 500) {
    const rows = await db
      .selectFrom("files_contents")
      .select(["id", "sha256", "sha1", "md5"])
      .where("id", "in", contentIds.slice(i, i + 500))
      .execute();
    for (const r of rows) checksums.set(r.id, r);
  }
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom("files_props")
      .selectAll()
      .where("node_id", "in", ids.slice(i, i + 500))
      .execute();
    for (const r of rows) dead.set(r.node_id, [...(dead.get(r.node_id) ?? []), r]);
  }
  // A folder's size is what its live files below weigh (a space's root: the space's usage, set by the caller).
  const tops = entries.flatMap((e) => (e.node.kind === "folder" && e.node.parent_id !== null ? [e.node.id] : []));
  for (let i = 0; i < tops.length; i += 500) {
    const r = await sql<{ top: string; bytes: number | string | null }>`
      with recursive down(top, id) as (
        select id, id from files_nodes where id in (${sql.join(tops.slice(i, i + 500))})
        union all
        select down.top, n.id from files_nodes n join down on n.parent_id = down.id where n.deleted_at is null
      )
      select down.top as top, sum(n.size) as bytes from down join files_nodes n on n.id = down.id
      where n.kind = 'file' group by down.top`.execute(db);
    for (const row of r.rows) folderSizes.set(row.top, Number(row.bytes ?? 0));
  }
  return { checksums, dead, folderSizes };
}
